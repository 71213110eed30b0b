// Feeds records from files and feeds into the pipeline in batches (shared by ingest, replay and
// quarantine retry).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "app/pipeline.h"
#include "ingest/reader.h"

namespace yuqing::cli {

struct IngestFlags {
  std::string format = "auto";
  std::string encoding = "auto";
  std::string source;
  std::vector<std::string> maps;  // column=field
  size_t batch = 2000;
};

// Builds reader options from the flags; bad flags are kInvalid.
Result<ingest::ReadOptions> MakeReadOptions(const IngestFlags& f, TimeMs now);

// Collects items into batches and runs the pipeline on each full batch.
class BatchFeeder {
 public:
  BatchFeeder(app::Pipeline& pipeline, size_t batch_size) : pipeline_(pipeline), batch_size_(batch_size) {}
  // Moves the item's contents into the batch (its line and offset stay readable).
  Status Add(ingest::Item& item);
  Status Flush();
  std::vector<app::RecordResult>& results() { return results_; }
  bool keep_results = false;

 private:
  app::Pipeline& pipeline_;
  size_t batch_size_;
  std::vector<ingest::Item> batch_;
  std::vector<app::RecordResult> results_;
};

}  // namespace yuqing::cli
