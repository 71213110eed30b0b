#include "cli/db_ingest.h"

#include <iostream>

#include "ingest/crawler_db.h"
#include "ingest/mediacrawler.h"
#include "store/ingest_cursor_store.h"

namespace yuqing::cli {
namespace {

constexpr size_t kPage = 1000;  // rows per read; a cursor moves once per page

ingest::Item ToItem(ingest::ParsedPost&& pp, const std::string& origin, int64_t row, const nlohmann::json& raw,
                    TimeMs now) {
  ingest::Item it;
  it.line = row;
  if (pp.ok) {
    it.ok = true;
    it.post = std::move(pp.post);
    return it;
  }
  std::string text = raw.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.size() > kMaxQuarantineRawBytes) text.resize(kMaxQuarantineRawBytes);
  it.bad = {origin, row, 0, pp.error.code, pp.error.reason, std::move(text), "mediacrawler-db", now};
  return it;
}

// One table from its cursor to its end, a page at a time; the cursor is saved after each page's
// posts are committed. Returns the rows read.
Result<int64_t> IngestTable(Context& ctx, app::Pipeline& pipeline, ingest::CrawlerDb& db, store::IngestCursorStore& cursors,
                            const ingest::McTable& table, const IngestFlags& flags) {
  const std::string source = db.Name();
  YQ_ASSIGN_OR_RETURN(auto saved, cursors.Get(source, table.name));
  ingest::TableCursor cursor{saved.a, saved.b};
  ingest::MediaCrawlerAdapter adapter(table.target, nullptr);
  const std::string origin = source + "#" + table.name;
  int64_t total = 0;
  while (true) {
    const TimeMs now = ctx.services()->clock().Now();
    ingest::ParseDefaults d{flags.source, now};
    BatchFeeder feeder(pipeline, flags.batch);
    ingest::TableCursor last = cursor;
    size_t rows = 0;
    YQ_RETURN_IF_ERROR(db.ReadAfter(table.name, cursor, kPage, [&](const nlohmann::json& row, const ingest::TableCursor& at) {
      ++rows;
      last = at;
      ingest::Item item = ToItem(adapter.Convert(row, d), origin, at.row, row, now);
      return feeder.Add(item);
    }));
    YQ_RETURN_IF_ERROR(feeder.Flush());
    if (rows == 0) break;
    YQ_RETURN_IF_ERROR(cursors.Put(source, table.name, {last.ts, last.row}, now));
    cursor = last;
    total += static_cast<int64_t>(rows);
    if (rows < kPage) break;
  }
  return total;
}

}  // namespace

Status IngestFromDb(Context& ctx, app::Pipeline& pipeline, const std::string& dsn, const IngestFlags& flags, bool json) {
  YQ_ASSIGN_OR_RETURN(auto db, ingest::CrawlerDb::Open(dsn));
  YQ_ASSIGN_OR_RETURN(auto cursors, store::IngestCursorStore::Open(ctx.services()->db()));
  int found = 0;
  for (const auto& table : ingest::McTables()) {
    YQ_ASSIGN_OR_RETURN(bool has, db->HasTable(table.name));
    if (!has) continue;
    ++found;
    YQ_ASSIGN_OR_RETURN(int64_t rows, IngestTable(ctx, pipeline, *db, *cursors, table, flags));
    if (!json)
      std::cerr << table.name << ctx.T(": 新读取 ", ": read ") << rows << ctx.T(" 行", " new rows") << std::endl;
  }
  if (found == 0)
    return Status::Invalid(db->Name() + ctx.T(" 中没有 MediaCrawler 的表（weibo_note、xhs_note、douyin_aweme ……）",
                                              " has none of MediaCrawler's tables (weibo_note, xhs_note, douyin_aweme ...)"));
  return Status::Ok();
}

}  // namespace yuqing::cli
