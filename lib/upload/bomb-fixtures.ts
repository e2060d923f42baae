import { deflatedRepeat, zipOf } from '@/lib/roster/fixtures/build';

// Hostile Office files for the upload tests, built without ever holding their unpacked bytes.

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/** The parts every .docx has besides word/document.xml. */
export function docxSkeleton(): { name: string; data: Buffer }[] {
  return [
    {
      name: '[Content_Types].xml',
      data: Buffer.from(
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
      ),
    },
    {
      name: '_rels/.rels',
      data: Buffer.from(
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
      ),
    },
  ];
}

/**
 * A .docx of about 400 KB whose word/document.xml unpacks to `megabytes` MB of one paragraph of
 * text, while the central directory declares it `claimSize` bytes.
 */
export function docxBomb(megabytes = 400, claimSize = 2_000): Buffer {
  const chunk = Buffer.from('学'.repeat(349_525)); // 1,048,575 bytes, whole characters
  const deflated = deflatedRepeat(
    Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${W}"><w:body><w:p><w:r><w:t>`),
    chunk,
    megabytes,
    Buffer.from('</w:t></w:r></w:p></w:body></w:document>'),
  );
  return zipOf([...docxSkeleton(), { name: 'word/document.xml', data: Buffer.alloc(0), deflated, claimSize }]);
}
