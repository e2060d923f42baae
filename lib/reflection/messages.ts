// Words the editor and the server share, so that a message reads the same wherever it comes from.

export const SIGNED_OUT_MESSAGE = '登录已过期，内容已保存在本机，请重新登录后继续';
export const OFFLINE_MESSAGE = '未连接，已保存在本机，联网后自动保存';
export const DECLARATION_LABEL = '本人承诺所交心得为本人撰写';
