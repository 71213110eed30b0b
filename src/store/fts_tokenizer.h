// The "yuqing" FTS5 tokenizer: normalises (traditional→simplified, width, case) and segments with
// cppjieba, reporting offsets in the original text so snippets highlight the right characters.
// Documents are cut in search mode, with a long word's sub-words as colocated tokens
// (自来水 also indexes 自来 and 来水 at the same position), so phrase queries keep working and
// shorter query words still find longer document words.
#pragma once

#include <memory>

#include "core/status.h"
#include "store/database.h"
#include "text/normalizer.h"
#include "text/segmenter.h"

namespace yuqing::store {

// Registers the tokenizer on this connection (needed before any FTS table using it is touched).
Status RegisterYuqingTokenizer(Database& db, std::shared_ptr<const text::Normalizer> normalizer,
                               std::shared_ptr<const text::Segmenter> segmenter);

}  // namespace yuqing::store
