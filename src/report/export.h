// Posts exported for analysts: the posts of a search, an event or a scheme as CSV (UTF-8 with a
// byte-order mark, so Excel reads Chinese) or XLSX (Debian's libxlsxwriter, streamed in constant
// memory). Cells that a spreadsheet would read as a formula (= + - @ at the start) are prefixed
// with an apostrophe: post text is untrusted.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/status.h"
#include "store/post_store.h"

namespace yuqing::report {

enum class ExportFormat { kCsv, kXlsx };

// "csv" | "xlsx"; kInvalid naming --format otherwise.
Result<ExportFormat> ParseExportFormat(std::string_view s);

struct ExportResult {
  int64_t rows = 0;
  bool truncated = false;  // stopped at max_rows
};

// Writes every post matching `query` (newest first; its limit and cursor are ignored) to `path`,
// replacing it only when complete. `progress(rows)` is called after each page. At most `max_rows`
// rows (an XLSX sheet holds 1,048,575 below its header).
Result<ExportResult> ExportPosts(store::PostStore& posts, store::SearchQuery query, ExportFormat format,
                                 const std::string& path, bool zh,
                                 const std::function<void(int64_t)>& progress = nullptr,
                                 int64_t max_rows = 1048575);

// One CSV field, quoted when needed (RFC 4180) and defused against formula injection.
std::string CsvField(std::string_view s);

}  // namespace yuqing::report
