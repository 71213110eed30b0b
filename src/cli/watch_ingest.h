// yuqing ingest --watch DIR: the folders crawlers write into, followed with inotify.
//
// Every record is read once, across restarts: each file's cursor (the byte offset after the last
// complete record read, and the lines before it) is saved in the store after the batch it covers
// is committed. A file still being written is never read half: JSON Lines and CSV files are read
// up to their last complete line (a CSV row with a quoted newline counts as complete only when
// its quotes close), whole-document files (.json) only once closed for writing or unchanged for
// two seconds. SIGINT/SIGTERM end the watch between batches; what was committed stays.
#pragma once

#include <string>

#include "app/pipeline.h"
#include "cli/context.h"
#include "cli/ingest_runner.h"

namespace yuqing::cli {

struct WatchOptions {
  std::string dir;
  std::string format = "auto";  // auto, jsonl, csv, json, or a vendor format (mediacrawler ...)
  IngestFlags flags;
  bool json = false;
};

// Runs until SIGINT or SIGTERM. kInvalid when dir is not a folder.
Status WatchFolder(Context& ctx, app::Pipeline& pipeline, const WatchOptions& o);

}  // namespace yuqing::cli

namespace yuqing::cli {

// Blocks SIGINT and SIGTERM in the calling thread, so that threads started afterwards (the
// pipeline's workers) inherit the mask and WatchFolder receives them through a signalfd. Call
// before the pipeline is created.
void BlockStopSignals();

}  // namespace yuqing::cli
