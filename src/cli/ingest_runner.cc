#include "cli/ingest_runner.h"

namespace yuqing::cli {

Result<ingest::ReadOptions> MakeReadOptions(const IngestFlags& f, TimeMs now) {
  ingest::ReadOptions o;
  YQ_ASSIGN_OR_RETURN(o.format, ingest::ParseFormat(f.format));
  YQ_ASSIGN_OR_RETURN(o.encoding, ingest::ParseEncoding(f.encoding));
  for (const auto& m : f.maps) {
    auto eq = m.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == m.size())
      return Status::Invalid("--map expects column=field, got '" + m + "'");
    o.column_map[m.substr(0, eq)] = m.substr(eq + 1);
  }
  o.defaults.source = f.source;
  o.defaults.now = now;
  return o;
}

Status BatchFeeder::Add(ingest::Item& item) {
  batch_.push_back(std::move(item));
  if (batch_.size() >= batch_size_) return Flush();
  return Status::Ok();
}

Status BatchFeeder::Flush() {
  if (batch_.empty()) return Status::Ok();
  YQ_ASSIGN_OR_RETURN(auto res, pipeline_.Process(batch_));
  if (keep_results) results_.insert(results_.end(), res.begin(), res.end());
  batch_.clear();
  return Status::Ok();
}

}  // namespace yuqing::cli
