#include "core/user.h"

#include <algorithm>
#include <iterator>

namespace yuqing {

bool IsValidRole(const std::string& role) {
  return std::any_of(std::begin(kRoles), std::end(kRoles), [&](const char* r) { return role == r; });
}

}  // namespace yuqing
