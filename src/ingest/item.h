// One record of the ingest path, from the readers to the pipeline: a parsed post, or a record for
// the quarantine. The readers (ingest/reader.h, the table and database readers) produce it, the
// API builds it from a request body, and app::Pipeline::Process takes batches of it.
#pragma once

#include <cstdint>

#include "core/post.h"
#include "core/quarantine.h"

namespace yuqing::ingest {

struct Item {
  bool ok = false;        // true: `post` holds the record; false: `bad` does
  Post post;
  QuarantineRecord bad;
  int64_t line = 0;       // the record's line in its origin (0 when it has none)
  int64_t offset = 0;     // byte offset of the record in its file (for progress)
};

}  // namespace yuqing::ingest
