// Mapping files for tabular exports, and XLSX workbooks written by a real XLSX writer
// (libxlsxwriter) read back through libzip + pugixml.
#include "ingest/table_mapping.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <filesystem>

#include <gtest/gtest.h>

namespace yuqing::ingest {
namespace {

const char* kHotline = R"(
source: hotline
id: 工单编号
title: 诉求标题
text: [诉求标题, 诉求内容]
time: {column: 受理时间, format: "%Y/%m/%d %H:%M"}
author: {name: 诉求人}
region: 所属区县
extra: [承办单位]
)";

TEST(TableMapping, ParsesAndRefusesWithTheKeyAtFault) {
  auto m = ParseTableMapping(kHotline);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->text, (std::vector<std::string>{"诉求标题", "诉求内容"}));
  EXPECT_EQ(m->time_format, "%Y/%m/%d %H:%M");
  EXPECT_FALSE(ParseTableMapping("source: hotline\n").ok());  // no text
  auto bad = ParseTableMapping("text: 内容\ncolour: 红\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("colour"), std::string::npos);
  auto missing = CheckHeader(*m, {"工单编号", "诉求标题", "受理时间", "诉求人", "所属区县", "承办单位"}, "x.csv");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.message().find("诉求内容"), std::string::npos);
}

TEST(TableMapping, RowsToPosts) {
  TableMappingAdapter a(*ParseTableMapping(kHotline));
  ParseDefaults d{"", 5000};
  nlohmann::json row = {{"工单编号", "GD20260601001"}, {"诉求标题", "停水"}, {"诉求内容", "东湖小区停水三天"},
                        {"受理时间", "2026/06/01 09:30"}, {"诉求人", "王先生"}, {"所属区县", "东湖区"}, {"承办单位", "水务集团"}};
  auto p = a.Convert(row, d);
  ASSERT_TRUE(p.ok) << p.error.reason;
  EXPECT_EQ(p.post.id, "GD20260601001");
  EXPECT_EQ(p.post.source, "hotline");
  EXPECT_EQ(p.post.text, "停水\n东湖小区停水三天");
  EXPECT_EQ(FormatTime(p.post.published_at), "2026-06-01T09:30:00+08:00");
  EXPECT_EQ(p.post.region, "东湖区");
  EXPECT_NE(p.post.extra_json.find("水务集团"), std::string::npos);
  row["受理时间"] = "6月1日";
  EXPECT_EQ(a.Convert(row, d).error.code, "bad_date");
  row["受理时间"] = "2026/06/01 09:30";
  row["诉求标题"] = "";
  row["诉求内容"] = " ";
  auto empty = a.Convert(row, d);
  EXPECT_EQ(empty.error.code, "missing_text");
}

TEST(Xlsx, WorkbookWrittenByLibxlsxwriterReadsBack) {
  std::string path = (std::filesystem::temp_directory_path() / ("hotline_" + std::to_string(getpid()) + ".xlsx")).string();
  lxw_workbook* wb = workbook_new(path.c_str());
  workbook_add_worksheet(wb, "说明");
  lxw_worksheet* ws = workbook_add_worksheet(wb, "工单");
  const char* header[] = {"工单编号", "诉求标题", "诉求内容", "受理时间", "诉求人", "所属区县", "承办单位"};
  for (int c = 0; c < 7; ++c) worksheet_write_string(ws, 0, c, header[c], nullptr);
  worksheet_write_string(ws, 1, 0, "GD1", nullptr);
  worksheet_write_string(ws, 1, 1, "停水", nullptr);
  worksheet_write_string(ws, 1, 2, "东湖小区停水三天 <没人管>", nullptr);
  lxw_datetime when = {2026, 6, 1, 9, 30, 0};
  lxw_format* date = workbook_add_format(wb);
  format_set_num_format(date, "yyyy-mm-dd hh:mm");
  worksheet_write_datetime(ws, 1, 3, &when, date);  // a real date cell: an Excel serial number
  worksheet_write_string(ws, 1, 4, "王先生", nullptr);
  worksheet_write_string(ws, 1, 5, "东湖区", nullptr);
  worksheet_write_string(ws, 1, 6, "水务集团", nullptr);
  worksheet_write_string(ws, 3, 0, "GD2", nullptr);  // row 3 left empty; row 4 has no text
  worksheet_write_string(ws, 3, 3, "2026-06-01 10:00", nullptr);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);

  auto m = ParseTableMapping("id: 工单编号\ntext: [诉求内容]\ntime: 受理时间\nsource: hotline\nsheet: 工单\n");
  ASSERT_TRUE(m.ok());
  auto header_read = ReadHeader(path, "工单");
  ASSERT_TRUE(header_read.ok()) << header_read.status().ToString();
  EXPECT_EQ(header_read->size(), 7u);
  EXPECT_TRUE(CheckHeader(*m, *header_read, path).ok());
  ReadOptions o;
  o.defaults.now = 5000;
  o.adapter = std::make_shared<TableMappingAdapter>(*m);
  std::vector<Item> items;
  Status st = ReadXlsxFile(path, "工单", o, [&](Item& it) {
    items.push_back(it);
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  ASSERT_EQ(items.size(), 2u);
  ASSERT_TRUE(items[0].ok) << items[0].bad.reason;
  EXPECT_EQ(items[0].post.text, "东湖小区停水三天 <没人管>");
  EXPECT_EQ(FormatTime(items[0].post.published_at), "2026-06-01T09:30:00+08:00");
  EXPECT_EQ(items[0].line, 2);
  EXPECT_FALSE(items[1].ok);
  EXPECT_EQ(items[1].bad.code, "missing_text");
  EXPECT_EQ(items[1].bad.line, 4);
  EXPECT_EQ(items[1].bad.format, "xlsx");
  EXPECT_FALSE(ReadHeader(path, "没有这张表").ok());
  std::filesystem::remove(path);
  EXPECT_FALSE(ReadXlsx("/nonexistent.xlsx", "", [](XlsxRow&) { return Status::Ok(); }).ok());
}

}  // namespace
}  // namespace yuqing::ingest
