// yuqing ingest --from sqlite:PATH | mysql://user:pass@host:port/db — MediaCrawler's live
// database, read-only and incrementally (see ingest/crawler_db.h, store/ingest_cursor_store.h).
#pragma once

#include <string>

#include "app/pipeline.h"
#include "cli/context.h"
#include "cli/ingest_runner.h"

namespace yuqing::cli {

// Reads every MediaCrawler table the database has (notes before comments), each from its cursor
// on, and moves the cursor after each committed batch. Prints, unless json, one line per table.
Status IngestFromDb(Context& ctx, app::Pipeline& pipeline, const std::string& dsn, const IngestFlags& flags, bool json);

}  // namespace yuqing::cli
