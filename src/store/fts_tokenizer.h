// The "yuqing" FTS5 tokenizer: normalises (traditional→simplified, width, case) and segments with
// cppjieba, reporting offsets in the original text so snippets highlight the right characters.
// Documents are cut in search mode, with a long word's sub-words as colocated tokens
// (自来水 also indexes 自来 and 来水 at the same position), so phrase queries keep working and
// shorter query words still find longer document words.
#pragma once

#include <memory>

#include "core/post.h"
#include "core/status.h"
#include "store/sqlite/connection.h"
#include "text/normalizer.h"
#include "text/segmenter.h"
#include "text/segmenter_slot.h"

namespace yuqing::store {

// Registers the tokenizer on this connection (needed before any FTS table using it is touched).
Status RegisterYuqingTokenizer(Database& db, std::shared_ptr<const text::Normalizer> normalizer,
                               std::shared_ptr<const text::Segmenter> segmenter);
// The same, segmenting with whatever `slot` holds at each call: a server's connections follow a
// user-dictionary change without being reopened.
Status RegisterYuqingTokenizer(Database& db, std::shared_ptr<const text::Normalizer> normalizer,
                               std::shared_ptr<const text::SegmenterSlot> slot);

// Segmentation already done by the pipeline for the next inserts on this thread: when the
// tokenizer is asked to index a text equal to a hinted field's original, it emits the hinted
// tokens instead of cutting the text again — unless `segmenter` (the one that cut them) is no
// longer the tokenizer's current one: a post cut before a dictionary change is indexed with the
// new dictionary, so a background rebuild never misses it. Pass nullptr/empty to clear. The
// pointers must stay valid until cleared.
struct TokenHint {
  std::string_view original;
  const SegmentedField* field = nullptr;
  const void* segmenter = nullptr;  // nullptr: whatever cut it is current (tests, one-shot tools)
};
void SetTokenHints(const TokenHint* hints, size_t n);

}  // namespace yuqing::store
