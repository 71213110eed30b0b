#include "bench_data.h"

#include <zlib.h>

#include "analysis/model_paths.h"

namespace yuqing::bench {

std::string CovidStreamPath() {
  return analysis::DefaultTrainDataDir() + "/stream/covid19_weibo_unlabeled_2020.tsv.gz";
}

Result<std::vector<StreamPost>> ReadCovidStream(const std::string& path, size_t limit) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) return Status::NotFound("COVID stream not found: " + path);
  std::vector<StreamPost> out;
  std::string line;
  char buf[1 << 16];
  bool header = true;
  while (gzgets(f, buf, sizeof buf)) {
    line += buf;
    if (line.empty() || line.back() != '\n') continue;
    line.pop_back();
    if (header) {
      header = false;
      line.clear();
      continue;
    }
    size_t t1 = line.find('\t');
    size_t t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 != std::string::npos) {
      auto day = ParseTime(line.substr(0, t1) + "T00:00:00+08:00");
      if (day.ok()) out.push_back({*day, line.substr(t1 + 1, t2 - t1 - 1), line.substr(t2 + 1)});
    }
    line.clear();
    if (limit && out.size() >= limit) break;
  }
  gzclose(f);
  return out;
}

}  // namespace yuqing::bench
