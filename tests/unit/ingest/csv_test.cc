#include "ingest/csv.h"

#include <gtest/gtest.h>

namespace yuqing::ingest {

std::vector<CsvRow> Parse(std::string_view s) {
  std::vector<CsvRow> rows;
  ParseCsv(s, GuessDelimiter(s), [&](CsvRow& r) {
    rows.push_back(r);
    return true;
  });
  return rows;
}

TEST(Csv, QuotesNewlinesAndLines) {
  auto rows = Parse("text,author\n\"多行\n文本, 含逗号\",张三\nplain,\"say \"\"hi\"\"\"\n\n last,x\r\n");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[1].fields[0], "多行\n文本, 含逗号");
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_EQ(rows[2].fields[1], "say \"hi\"");
  EXPECT_EQ(rows[2].line, 4);
  EXPECT_EQ(rows[3].line, 6);
  EXPECT_EQ(rows[3].fields[1], "x");
}

TEST(Csv, UnterminatedQuoteIsAnError) {
  auto rows = Parse("text\n\"never closed\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_FALSE(rows[1].error.empty());
}

TEST(Csv, GuessesTabs) {
  EXPECT_EQ(GuessDelimiter("date\tuserid\ttext\n"), '\t');
  EXPECT_EQ(GuessDelimiter("a;b;c\n"), ';');
  EXPECT_EQ(GuessDelimiter("a,b\n"), ',');
}

}  // namespace yuqing::ingest
