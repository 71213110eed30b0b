// CSV (RFC 4180: quoted fields, doubled quotes, newlines inside quotes) with a header row.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace yuqing::ingest {

struct CsvRow {
  std::vector<std::string> fields;
  int64_t line = 0;    // 1-based line where the row starts
  int64_t offset = 0;  // byte offset where the row starts
  std::string_view raw;  // the row's bytes in the input
  std::string error;   // non-empty for a malformed row (unterminated quote, ...)
};

// Calls on_row for every row, the header included. Stops early when on_row returns false.
void ParseCsv(std::string_view data, char delimiter, const std::function<bool(CsvRow&)>& on_row);

// Where a chunked parse stands: the line and byte offset (in the whole input) of the next row.
struct CsvCursor {
  int64_t line = 1;
  int64_t offset = 0;
  bool stopped = false;  // on_row returned false
};

// Parses the complete rows of `chunk`, which starts at cursor.offset of the input. Unless `last`,
// a row that runs to the end of the chunk (no line end yet, or inside quotes) is left for the
// next call, which must start with it. Returns the bytes consumed and advances the cursor.
size_t ParseCsvChunk(std::string_view chunk, char delimiter, bool last, CsvCursor& cursor,
                     const std::function<bool(CsvRow&)>& on_row);

// Guesses the delimiter from the header line: tab, comma or semicolon.
char GuessDelimiter(std::string_view data);

}  // namespace yuqing::ingest
