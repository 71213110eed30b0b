// The crawler database reader on a SQLite file shaped like MediaCrawler's (database/models.py);
// the MySQL path is covered by tests/integration/collect_files_test.py against a real MariaDB.
#include "ingest/crawler_db.h"

#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

namespace yuqing::ingest {
namespace {

TEST(MysqlDsn, Parts) {
  auto d = ParseMysqlDsn("mysql://crawler:p%40ss@127.0.0.1:3307/media_crawler");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->user, "crawler");
  EXPECT_EQ(d->password, "p@ss");
  EXPECT_EQ(d->host, "127.0.0.1");
  EXPECT_EQ(d->port, 3307u);
  EXPECT_EQ(d->db, "media_crawler");
  EXPECT_FALSE(ParseMysqlDsn("mysql://u@h:99999999/db").ok());
  EXPECT_FALSE(ParseMysqlDsn("mysql://u@h:3306").ok());
  EXPECT_FALSE(CrawlerDb::Open("postgres://x").ok());
}

TEST(CrawlerDb, SqliteRowsAfterTheCursorInTimestampOrder) {
  std::string path = (std::filesystem::temp_directory_path() / ("mc_" + std::to_string(getpid()) + ".db")).string();
  std::filesystem::remove(path);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TABLE weibo_note (id INTEGER PRIMARY KEY, note_id BIGINT, content TEXT, create_time BIGINT,"
                         " liked_count TEXT, add_ts BIGINT, last_modify_ts BIGINT);"
                         "INSERT INTO weibo_note VALUES (1, 11, 'a', 1780275600, '1', 100, 100),"
                         " (2, 12, 'b', 1780275601, '2', 100, 100), (3, 13, 'c', 1780275602, '3', 90, 300),"
                         " (4, 14, 'd', 1780275603, NULL, 50, NULL);",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto cdb = CrawlerDb::Open("sqlite:" + path);
  ASSERT_TRUE(cdb.ok()) << cdb.status().ToString();
  EXPECT_TRUE(*(*cdb)->HasTable("weibo_note"));
  EXPECT_FALSE(*(*cdb)->HasTable("xhs_note"));
  std::vector<int64_t> ids;
  TableCursor last;
  auto read = [&](TableCursor after, size_t limit) {
    ids.clear();
    Status st = (*cdb)->ReadAfter("weibo_note", after, limit, [&](const nlohmann::json& row, const TableCursor& at) {
      ids.push_back(row["note_id"].get<int64_t>());
      last = at;
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
  };
  read({}, 2);
  EXPECT_EQ(ids, (std::vector<int64_t>{14, 11}));  // unstamped rows first (as 0), then by time and id
  read(last, 10);
  EXPECT_EQ(ids, (std::vector<int64_t>{12, 13}));
  read(last, 10);
  EXPECT_TRUE(ids.empty());
  // A table name is quoted as a name, never run as SQL.
  EXPECT_FALSE((*cdb)->ReadAfter("weibo_note; DELETE FROM weibo_note", {}, 1, [](auto&, auto&) { return Status::Ok(); }).ok());
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace yuqing::ingest
