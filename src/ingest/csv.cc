#include "ingest/csv.h"

#include <string>

namespace yuqing::ingest {

char GuessDelimiter(std::string_view data) {
  std::string_view first = data.substr(0, data.find('\n'));
  size_t tabs = 0, commas = 0, semis = 0;
  for (char c : first) {
    tabs += c == '\t';
    commas += c == ',';
    semis += c == ';';
  }
  if (tabs >= commas && tabs >= semis && tabs > 0) return '\t';
  if (semis > commas) return ';';
  return ',';
}

void ParseCsv(std::string_view data, char delim, const std::function<bool(CsvRow&)>& on_row) {
  CsvCursor cursor;
  ParseCsvChunk(data, delim, /*last=*/true, cursor, on_row);
}

size_t ParseCsvChunk(std::string_view data, char delim, bool last, CsvCursor& cursor,
                     const std::function<bool(CsvRow&)>& on_row) {
  size_t i = 0, n = data.size();
  int64_t line = cursor.line;
  while (i < n) {
    CsvRow row;
    row.line = line;
    row.offset = cursor.offset + static_cast<int64_t>(i);
    size_t start = i;
    std::string field;
    bool in_quotes = false, quoted = false, row_done = false;
    while (i < n && !row_done) {
      char c = data[i];
      if (in_quotes) {
        if (c == '"') {
          if (i + 1 < n && data[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          in_quotes = false;
          ++i;
          // RFC 4180: a closing quote ends the field. Text after it ("abc"x) means the row was
          // not written by a CSV writer; keep reading the row, but mark it malformed so it is
          // quarantined rather than stored with a guessed value.
          if (i < n && data[i] != delim && data[i] != '\n' && data[i] != '\r' && row.error.empty())
            row.error = "text after a closing quote in field " + std::to_string(row.fields.size() + 1) +
                        " (byte " + std::to_string(i - start) + " of the row)";
          continue;
        }
        if (c == '\n') ++line;
        field.push_back(c);
        ++i;
        continue;
      }
      if (c == '"' && field.empty() && !quoted) {
        in_quotes = quoted = true;
        ++i;
      } else if (c == delim) {
        row.fields.push_back(std::move(field));
        field.clear();
        quoted = false;
        ++i;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 == n && !last) break;  // its '\n' may start the next chunk
        if (c == '\r' && i + 1 < n && data[i + 1] == '\n') ++i;
        ++i;
        ++line;
        row_done = true;
      } else {
        field.push_back(c);
        ++i;
      }
    }
    if (!last && (in_quotes || !row_done)) {
      // The row continues in the next chunk: give it back whole.
      cursor.offset += static_cast<int64_t>(start);
      cursor.line = row.line;
      return start;
    }
    if (in_quotes) row.error = "unterminated quoted field";
    row.fields.push_back(std::move(field));
    size_t end = i;
    while (end > start && (data[end - 1] == '\n' || data[end - 1] == '\r')) --end;
    row.raw = data.substr(start, end - start);
    bool blank = row.fields.size() == 1 && row.fields[0].empty() && row.error.empty();
    if (!blank && !on_row(row)) {
      cursor.stopped = true;
      break;
    }
  }
  cursor.offset += static_cast<int64_t>(i);
  cursor.line = line;
  return i;
}

}  // namespace yuqing::ingest
