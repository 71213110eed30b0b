// A stable 64-bit hash of a string (FNV-1a with a murmur finaliser): the same on every platform
// and in every run, so it may key tables that outlive a process (SimHash values in the store).
#pragma once

#include <cstdint>
#include <string_view>

namespace yuqing {

inline uint64_t Hash64(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

}  // namespace yuqing
