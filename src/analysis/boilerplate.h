// Posts with nothing of the author's own in them: an empty repost (转发微博, Repost, 轉發), a bare
// share line (分享图片, 网页链接), mentions, links, a repost chain (//@name:) or a hashtag alone.
// Weibo and the converters fill these in; the guide (and a press office) reads them as neutral
// with no type, so sentiment must not guess at them (a model read 转发微博 as −0.998).
#pragma once

#include <string_view>

namespace yuqing::analysis {

// True when norm_text (normalised: simplified, half-width, lower-case) has no words left once
// links, @mentions, //@ chains, #hashtags#, [图片]-style placeholders and the share/repost
// boilerplate are taken out. Emoticons such as [哈哈] or [怒] are the author's own and count.
bool IsContentless(std::string_view norm_text);

}  // namespace yuqing::analysis
