#include "analysis/boilerplate.h"

#include <gtest/gtest.h>

namespace yuqing::analysis {

TEST(BoilerplateTest, RepostsShareLinesMentionsAndLinksAreContentless) {
  for (const char* s : {"转发微博", "转发", "repost", "分享图片", "//@人民日报: 转发微博", "@张三 @李四", "[图片]", "http://t.cn/abc",
                        "网页链接", "#话题#", "我分享了一个视频 http://t.cn/a6x", "转发理由：", "  ", "", "repost //@alice:",
                        "转发微博 //@新浪新闻：", "[转发]"})
    EXPECT_TRUE(IsContentless(s)) << s;
}

TEST(BoilerplateTest, AnyWordOrEmoticonOfTheAuthorsIsContent) {
  for (const char* s : {"转发微博 太气人了", "[怒]", "[哈哈]转发微博", "支持！//@人民日报: 转发微博", "停水了", "ok", "#话题# 终于来水了",
                        "转发这条消息的人都会好运", "@张三 你看看这个"})
    EXPECT_FALSE(IsContentless(s)) << s;
}

TEST(BoilerplateTest, UnclosedMarkersDoNotSwallowTheText) {
  EXPECT_FALSE(IsContentless("#没有闭合的话题 停水三天"));
  EXPECT_FALSE(IsContentless("[没有闭合 停水"));
}

}  // namespace yuqing::analysis
