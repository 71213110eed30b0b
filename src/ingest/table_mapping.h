// Tabular exports (12345 hotline work orders, 问卷星/腾讯问卷 answers, any CSV or XLSX) mapped to
// posts by a mapping file (--map mapping.yaml):
//
//   source: hotline                      # fixed source (or `source_column: 渠道`)
//   id: 工单编号                          # optional; else the stable id of source+author+text+time
//   text: [诉求标题, 诉求内容]              # one column, or several joined with a newline
//   title: 诉求标题
//   time: {column: 受理时间, format: "%Y/%m/%d %H:%M"}   # strptime format, Beijing time;
//                                        # without format: ISO 8601, Unix time or an Excel serial date
//   author: {name: 来电人, id: 来电号码}
//   region: 所属区县
//   channel: 受理渠道
//   fields: {metrics.likes: 点赞数}        # any other post field by its dotted name
//   extra: [工单类型, 承办单位]             # kept in the post's extra
//   sheet: 工单                            # XLSX: the sheet (default: the first)
//
// Every column the file names must be in the export's header; otherwise the whole file is refused
// up front (kInvalid naming the column and the columns there are), so nothing is half-read.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "ingest/reader.h"
#include "ingest/record_adapter.h"

namespace yuqing::ingest {

struct TableMapping {
  std::string source, source_column, id, title, region, channel, author_id, author_name;
  std::vector<std::string> text;
  std::string time_column, time_format;
  std::map<std::string, std::string> fields;  // post field -> column
  std::vector<std::string> extra;
  std::string sheet;
  // Every column named above.
  std::vector<std::string> Columns() const;
};

// Reads a mapping file (YAML); kInvalid with the key at fault.
Result<TableMapping> LoadTableMapping(const std::string& path);
Result<TableMapping> ParseTableMapping(const std::string& yaml_text);

// kInvalid naming the first mapped column missing from `header`.
Status CheckHeader(const TableMapping& m, const std::vector<std::string>& header, const std::string& file);

// Parses `text` with a strptime format in Beijing time (UTC+8).
Result<TimeMs> ParseTimeWithFormat(const std::string& text, const std::string& format);

class TableMappingAdapter final : public RecordAdapter {
 public:
  explicit TableMappingAdapter(TableMapping m) : m_(std::move(m)) {}
  ParsedPost Convert(const nlohmann::json& row, const ParseDefaults& d) const override;

 private:
  TableMapping m_;
};

// An XLSX workbook's sheet as rows of strings (libzip + pugixml): shared and inline strings,
// numbers as written (dates stay Excel serial numbers), booleans as TRUE/FALSE. Row numbers are
// the sheet's own (1-based). `sheet` "" is the first sheet.
struct XlsxRow {
  int64_t line = 0;
  std::vector<std::string> cells;
};
Status ReadXlsx(const std::string& path, const std::string& sheet, const std::function<Status(XlsxRow&)>& on_row);

}  // namespace yuqing::ingest

namespace yuqing::ingest {

// An XLSX sheet as posts: its first non-empty row is the header; each later non-empty row goes
// through o.adapter (a mapping) or, without one, the same column names as CSV (正文, 发布时间 ...).
// Bad rows are quarantined with the sheet's row number and format "xlsx".
Status ReadXlsxFile(const std::string& path, const std::string& sheet, const ReadOptions& o, const ItemSink& sink);

// The header row of a CSV or XLSX file (for CheckHeader before anything is read).
Result<std::vector<std::string>> ReadHeader(const std::string& path, const std::string& sheet);

}  // namespace yuqing::ingest
