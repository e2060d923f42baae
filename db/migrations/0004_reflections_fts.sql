-- Full-text search over reflections. rowid = reflections.id. The application writes jieba-
-- segmented text (words separated by spaces, search-engine mode so that 治理 is found inside
-- 基层治理), so the plain unicode61 tokenizer sees one token per word.
CREATE VIRTUAL TABLE `reflections_fts` USING fts5(`title`, `body`, `author`, tokenize = 'unicode61 remove_diacritics 0');
