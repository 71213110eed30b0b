// Shared by the analysis benchmarks: reads the COVID Weibo stream (date \t userid \t text).
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace yuqing::bench {

struct StreamPost {
  TimeMs day = 0;  // the post's day (00:00 +08:00)
  std::string user;
  std::string text;
};

// Reads up to `limit` posts (0: all) in file order, which is day order. kNotFound when absent.
Result<std::vector<StreamPost>> ReadCovidStream(const std::string& path, size_t limit = 0);

// ../shared/data/stream/covid19_weibo_unlabeled_2020.tsv.gz (or $YUQING_TRAIN_DATA/stream/...).
std::string CovidStreamPath();

}  // namespace yuqing::bench
