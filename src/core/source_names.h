// Display names of post sources ("weibo" → 微博 / Weibo) for pushes and reports, in the user's
// language. The dashboard keeps the same table in web/js/i18n; tests/unit/core checks they agree.
#pragma once

#include <string>

namespace yuqing {

// The source's name in Chinese (zh = true) or English; an unknown source is returned as stored.
std::string SourceDisplayName(const std::string& source, bool zh);

}  // namespace yuqing
