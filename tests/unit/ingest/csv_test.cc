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

// Regression (issue 22): `"abc"x` was accepted as the field abc; it is a malformed row.
TEST(Csv, TextAfterClosingQuoteIsAnError) {
  auto rows = Parse("text,author\n\"abc\"x,me\n\"ok\",you\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_NE(rows[1].error.find("field 1"), std::string::npos) << rows[1].error;
  EXPECT_TRUE(rows[2].error.empty()) << rows[2].error;
  EXPECT_EQ(rows[2].fields[0], "ok");
}

// Reading in chunks gives the same rows, lines and offsets as reading whole, wherever the chunks
// split (inside quotes, between \r and \n, mid-field).
TEST(Csv, ChunkedParseEqualsWholeParse) {
  const std::string doc =
      "text,author\r\n\"多行\n文本, 含逗号\",张三\r\nplain,\"say \"\"hi\"\"\"\n\n\"abc\"x,bad\n\"open\n";
  auto whole = Parse(doc);
  for (size_t step = 1; step <= doc.size(); ++step) {
    std::vector<CsvRow> rows;
    std::vector<std::string> raws;
    CsvCursor cur;
    std::string buf;
    size_t fed = 0;
    while (fed < doc.size() || !buf.empty()) {
      size_t take = std::min(step, doc.size() - fed);
      buf += doc.substr(fed, take);
      fed += take;
      bool last = fed == doc.size();
      size_t used = ParseCsvChunk(buf, ',', last, cur, [&](CsvRow& r) {
        rows.push_back(r);
        raws.emplace_back(r.raw);
        return true;
      });
      buf.erase(0, used);
      if (last) break;
    }
    ASSERT_EQ(rows.size(), whole.size()) << "step " << step;
    for (size_t i = 0; i < rows.size(); ++i) {
      EXPECT_EQ(rows[i].fields, whole[i].fields) << "step " << step << " row " << i;
      EXPECT_EQ(rows[i].line, whole[i].line) << "step " << step << " row " << i;
      EXPECT_EQ(rows[i].offset, whole[i].offset) << "step " << step << " row " << i;
      EXPECT_EQ(rows[i].error, whole[i].error) << "step " << step << " row " << i;
      EXPECT_EQ(raws[i], std::string(whole[i].raw)) << "step " << step << " row " << i;
    }
  }
}

TEST(Csv, GuessesTabs) {
  EXPECT_EQ(GuessDelimiter("date\tuserid\ttext\n"), '\t');
  EXPECT_EQ(GuessDelimiter("a;b;c\n"), ';');
  EXPECT_EQ(GuessDelimiter("a,b\n"), ',');
}

}  // namespace yuqing::ingest
