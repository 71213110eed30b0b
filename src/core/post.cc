#include "core/post.h"

#include <sodium.h>

namespace yuqing {
namespace {

std::string HexHash(const std::string& input) {
  unsigned char out[8];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(input.data()),
                     input.size(), nullptr, 0);
  static const char* kHex = "0123456789abcdef";
  std::string s;
  s.reserve(16);
  for (unsigned char c : out) {
    s.push_back(kHex[c >> 4]);
    s.push_back(kHex[c & 15]);
  }
  return s;
}

}  // namespace

std::string StablePostId(const Post& p) {
  // A NUL separator keeps ("ab","c") and ("a","bc") apart.
  std::string key = p.source;
  key.push_back('\0');
  if (!p.url.empty()) {
    key += p.url;
  } else {
    key += p.author.id.empty() ? p.author.name : p.author.id;
    key.push_back('\0');
    key += p.text;
    key.push_back('\0');
    key += std::to_string(p.published_at);
  }
  return (p.source.empty() ? std::string("p") : p.source.substr(0, 8)) + "-" + HexHash(key);
}

}  // namespace yuqing
