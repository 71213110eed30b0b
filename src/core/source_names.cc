#include "core/source_names.h"

#include <string_view>

namespace yuqing {
namespace {

struct SourceName {
  std::string_view key, zh, en;
};

// Platforms the adapters write (MediaCrawler's seven, Weibo, feeds, pages, mail, hotline exports)
// and the generic kinds users put in their own files.
constexpr SourceName kSources[] = {
    {"weibo", "微博", "Weibo"},          {"wechat", "微信", "WeChat"},
    {"news", "新闻网站", "News sites"},   {"forum", "论坛", "Forums"},
    {"douyin", "抖音", "Douyin"},        {"kuaishou", "快手", "Kuaishou"},
    {"xiaohongshu", "小红书", "Xiaohongshu"}, {"zhihu", "知乎", "Zhihu"},
    {"bilibili", "哔哩哔哩", "Bilibili"}, {"tieba", "百度贴吧", "Baidu Tieba"},
    {"toutiao", "今日头条", "Toutiao"},   {"video", "视频", "Video"},
    {"hotline", "热线", "Hotline"},      {"survey", "调查", "Survey"},
    {"rss", "RSS", "RSS"},               {"email", "邮件", "E-mail"},
    {"web", "网站", "Websites"},         {"blog", "博客", "Blogs"},
    {"app", "客户端", "Apps"},           {"other", "其他", "Other"},
};

}  // namespace

std::string SourceDisplayName(const std::string& source, bool zh) {
  for (const auto& s : kSources)
    if (s.key == source) return std::string(zh ? s.zh : s.en);
  return source;
}

}  // namespace yuqing
