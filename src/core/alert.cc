#include "core/alert.h"

#include <array>

namespace yuqing {

const char* LevelName(int s) {
  static constexpr std::array<const char*, 5> k = {"", "IV", "III", "II", "I"};
  return s >= 1 && s <= 4 ? k[s] : "";
}
const char* LevelColor(int s) {
  static constexpr std::array<const char*, 5> k = {"", "blue", "yellow", "orange", "red"};
  return s >= 1 && s <= 4 ? k[s] : "";
}
const char* LevelNameZh(int s) {
  static constexpr std::array<const char*, 5> k = {"", "一般", "较大", "重大", "特别重大"};
  return s >= 1 && s <= 4 ? k[s] : "";
}

int ParseLevel(std::string_view t) {
  for (int s = 1; s <= 4; ++s) {
    if (t == LevelName(s) || t == LevelColor(s) || t == LevelNameZh(s)) return s;
  }
  // Digits name the Roman level: "4" is IV (the lowest), "1" is I.
  if (t.size() == 1 && t[0] >= '1' && t[0] <= '4') return 5 - (t[0] - '0');
  return 0;
}

}  // namespace yuqing
