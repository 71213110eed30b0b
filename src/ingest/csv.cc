#include "ingest/csv.h"

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
  size_t i = 0, n = data.size();
  int64_t line = 1;
  while (i < n) {
    CsvRow row;
    row.line = line;
    row.offset = static_cast<int64_t>(i);
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
        if (c == '\r' && i + 1 < n && data[i + 1] == '\n') ++i;
        ++i;
        ++line;
        row_done = true;
      } else {
        field.push_back(c);
        ++i;
      }
    }
    if (in_quotes) row.error = "unterminated quoted field";
    row.fields.push_back(std::move(field));
    size_t end = i;
    while (end > start && (data[end - 1] == '\n' || data[end - 1] == '\r')) --end;
    row.raw = data.substr(start, end - start);
    bool blank = row.fields.size() == 1 && row.fields[0].empty() && row.error.empty();
    if (!blank && !on_row(row)) return;
  }
}

}  // namespace yuqing::ingest
