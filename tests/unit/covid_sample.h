// The first rows of the COVID-19 Weibo stream in ../shared/data, for tests on real posts. The
// including test target defines YUQING_SHARED_DATA; an empty result means the data is absent and
// the test should skip.
#pragma once

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace yuqing::testing {

inline constexpr const char* kCovidStream = YUQING_SHARED_DATA "/stream/covid19_weibo_unlabeled_2020.tsv.gz";

struct CovidRow {
  std::string time;  // the TSV's second column
  std::string text;  // the rest of the line (with its newline)
};

inline std::vector<CovidRow> ReadCovidRows(size_t lines) {
  std::vector<CovidRow> rows;
  if (!std::ifstream(kCovidStream)) return rows;
  std::string cmd = std::string("gzip -dc '") + kCovidStream + "' | head -n " + std::to_string(lines);
  FILE* f = popen(cmd.c_str(), "r");
  if (!f) return rows;
  char buf[1 << 16];
  while (fgets(buf, sizeof buf, f)) {
    std::string line(buf);
    size_t t1 = line.find('\t'), t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string::npos) continue;  // the header has three columns too; rows without are skipped
    rows.push_back({line.substr(t1 + 1, t2 - t1 - 1), line.substr(t2 + 1)});
  }
  pclose(f);
  return rows;
}

}  // namespace yuqing::testing
