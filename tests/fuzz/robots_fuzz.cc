// libFuzzer target: the robots.txt subset. The first line is the path asked about (the URL
// helpers read it too); the rest is the robots.txt, checked for our agent and for another.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ingest/robots.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t nl = in.find('\n');
  std::string_view path = in.substr(0, nl);
  std::string_view robots = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  auto v = yuqing::ingest::CheckRobots(robots, "yuqing", path);
  if (v.crawl_delay < 0 || v.crawl_delay > 60 * 1000) __builtin_trap();  // documented bound
  (void)yuqing::ingest::CheckRobots(robots, "otherbot", path);
  const std::string url(path);
  (void)yuqing::ingest::RobotsUrl(url);
  (void)yuqing::ingest::PathOf(url);
  (void)yuqing::ingest::OriginOf(url);
  return 0;
}
