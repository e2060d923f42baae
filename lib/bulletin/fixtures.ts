import type { BulletinContent } from './format';

// Bulletin texts written for the tests, in the formats of the brief (no copied text). Names,
// posts and places are invented.

/** Heading style: "{职务} {姓名}" on a line, the speech below; with a byline, a date and a web page around it. */
export const HEADING_STYLE = `
首页 > 工作动态 > 正文
【干部读书班】2021年临江区党组织书记读书班简报(第3期)
林海燕
2021-06-18

6月17日上午,2021年临江区党组织书记读书班举行第三次集中学习,区委组织部副部长作辅导讲话,各镇街党组织书记围绕基层治理开展交流研讨。

大家一致认为,要把学习成果转化为推动基层治理的实际行动。
现将学员讨论发言情况整理如下:
   清河镇党委书记、清河湿地保护区党工委书记 欧阳明远
这次读书班内容实在,让我对基层治理有了新的认识。一是要把群众的小事当作自己的大事。

二是要把网格建在楼道里,把服务送到家门口。
东湖街道党工委副书记、办事处主任 宋佳
通过学习,我深刻体会到三方共治的重要意义,物业、业委会和居委会要拧成一股绳。
苏 明 亮
这一行不是标题,是正文里的一句话。
报:区委办公室
送:区委组织部
发:各镇街党组织
(共印40份)
点赞 0
`;

/** Inline style: "{职务}  {姓名}:{text}", full-width and ASCII colons, full-width spaces, a name with no 职务 heading. */
export const INLINE_STYLE = `持续深化理论学习 推动工作落地见效
2022年9月2日
9月1日,青石街道党工委开展第四次集中学习,班子成员围绕《论党的自我革命》交流发言。
街道党工委书记、人大工委主任  韩立群:理论学习要往深里走、往实里走,做到学思用贯通、知信行统一。
一是坚持以上率下,带头读原文、悟原理。
二是坚持问题导向,把调查研究作为基本功。
街道党工委副书记\u3000\u3000郑晓:学习要同解决群众急难愁盼结合起来,加装电梯、停车难都要拿出具体办法。
街道办事处副主任  陆雯雯: 要把学习成效体现在为民办实事上。
相关阅读
另一篇文章的标题
`;

export function sampleContent(over: Partial<BulletinContent> = {}): BulletinContent {
  return {
    courseName: '2021年临江区党组织书记读书班',
    columnName: '书记读书班',
    number: 3,
    title: '【书记读书班】2021年临江区党组织书记读书班简报（第3期）',
    editor: '林海燕',
    issuedOn: '2021-06-18',
    publisher: '中共临江区委组织部',
    // What the organizer writes is full-width, as offices write; the speakers' bodies keep the
    // half-width marks of text pasted from the web.
    lead: '6月17日上午，读书班举行第三次集中学习，区委组织部副部长作辅导讲话。\n各镇街党组织书记围绕基层治理开展交流研讨。',
    summary: '大家一致认为，要把学习成果转化为推动基层治理的实际行动。',
    transition: '现将学员讨论发言情况整理如下：',
    items: [
      {
        heading: '清河镇党委书记、清河湿地保护区党工委书记 欧阳明远',
        authorName: '欧阳明远',
        authorTitle: '清河镇党委书记、清河湿地保护区党工委书记',
        body: '这次读书班内容实在。一是要把群众的小事当作自己的大事。\n二是要把网格建在楼道里。',
      },
      {
        heading: '东湖街道党工委副书记、办事处主任 宋佳',
        authorName: '宋佳',
        authorTitle: '东湖街道党工委副书记、办事处主任',
        body: '通过学习,我深刻体会到三方共治的重要意义。',
      },
      { heading: '周志刚', authorName: '周志刚', authorTitle: '', body: '要把学习成效体现在为民办实事上 & <不打折扣>。' },
    ],
    reportTo: '区委办公室',
    sendTo: '区委组织部',
    issueTo: '各镇街党组织',
    copies: 40,
    ...over,
  };
}
