#include "core/source_names.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace yuqing {
namespace {

constexpr const char* kKeys[] = {"weibo", "wechat", "news", "forum", "douyin", "kuaishou", "xiaohongshu", "zhihu",
                                 "bilibili", "tieba", "toutiao", "video", "hotline", "survey", "rss", "email",
                                 "web", "blog", "app", "other"};

TEST(SourceNames, PlatformsTheAdaptersWriteHaveChineseAndEnglishNames) {
  EXPECT_EQ(SourceDisplayName("xiaohongshu", true), "小红书");
  EXPECT_EQ(SourceDisplayName("zhihu", true), "知乎");
  EXPECT_EQ(SourceDisplayName("weibo", false), "Weibo");
  EXPECT_EQ(SourceDisplayName("email", true), "邮件");
}

TEST(SourceNames, AnUnknownSourceIsShownAsStored) {
  EXPECT_EQ(SourceDisplayName("my-crawler", true), "my-crawler");
  EXPECT_EQ(SourceDisplayName("", false), "");
}

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Pushes and reports say what the dashboard says.
TEST(SourceNames, AgreeWithTheDashboard) {
  for (auto [file, zh] : {std::pair{"zh-CN.js", true}, std::pair{"en.js", false}}) {
    std::string js = Read(std::string(YUQING_SOURCE_DIR "/web/js/i18n/") + file);
    ASSERT_FALSE(js.empty()) << file;
    for (const char* key : kKeys) {
      std::string name = SourceDisplayName(key, zh);
      std::string key_text = std::string("'source.") + key + "': ";
      auto at = js.find(key_text);
      ASSERT_NE(at, std::string::npos) << file << " has no " << key;
      std::string rest = js.substr(at + key_text.size(), name.size() + 2);
      EXPECT_EQ(rest.substr(1, name.size()), name) << file << " " << key;
    }
  }
}

}  // namespace
}  // namespace yuqing
