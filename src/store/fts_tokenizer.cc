#include "store/fts_tokenizer.h"

#include <sqlite3.h>

#include <string>
#include <vector>

namespace yuqing::store {
namespace {

struct TokenizerDeps {
  std::shared_ptr<const text::Normalizer> normalizer;
  std::shared_ptr<const text::SegmenterSlot> slot;
};

// One instance per FTS table; it only points at the shared, immutable dependencies.
struct Tokenizer {
  TokenizerDeps* deps;
};

int Create(void* ctx, const char** /*args*/, int /*nargs*/, Fts5Tokenizer** out) {
  auto* t = new Tokenizer{static_cast<TokenizerDeps*>(ctx)};
  *out = reinterpret_cast<Fts5Tokenizer*>(t);
  return SQLITE_OK;
}

void Delete(Fts5Tokenizer* t) { delete reinterpret_cast<Tokenizer*>(t); }

bool IsPunctOnly(std::string_view w) {
  for (unsigned char c : w) {
    if (c >= 0x80) return false;  // CJK and other scripts: keep (CJK punctuation is filtered below)
    if (std::isalnum(c)) return false;
  }
  return true;
}

bool IsCjkPunct(std::string_view w) {
  // Common full-width punctuation that survives width folding: 。、“”‘’《》【】…—·
  // (Called for every token stored: string_views, and only two- or three-byte tokens compared.)
  static constexpr std::string_view kPunct[] = {"。", "、", "“", "”", "‘", "’", "《", "》",
                                                "【", "】", "…", "—", "·", "「", "」", "～"};
  if (w.size() < 2 || w.size() > 3) return false;
  for (std::string_view p : kPunct)
    if (w == p) return true;
  return false;
}

thread_local const TokenHint* g_hints = nullptr;  // per thread, set around one insert
thread_local size_t g_hint_count = 0;

int EmitField(const SegmentedField& f, void* ctx, int (*emit)(void*, int, const char*, int, int, int)) {
  for (size_t i = 0; i < f.token_begin.size(); ++i) {
    std::string_view w(f.norm.data() + f.token_begin[i], f.token_end[i] - f.token_begin[i]);
    if (IsPunctOnly(w) || IsCjkPunct(w)) continue;
    int rc = emit(ctx, f.colocated[i] ? FTS5_TOKEN_COLOCATED : 0, w.data(), static_cast<int>(w.size()),
                  static_cast<int>(f.offsets[f.token_begin[i]]), static_cast<int>(f.offsets[f.token_end[i]]));
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

int Tokenize(Fts5Tokenizer* tok, void* ctx, int flags, const char* text, int n,
             int (*emit)(void*, int, const char*, int, int, int)) {
  auto* t = reinterpret_cast<Tokenizer*>(tok);
  std::string_view in(text, static_cast<size_t>(n));
  thread_local std::string norm;
  thread_local std::vector<uint32_t> offsets;
  thread_local std::vector<text::Token> tokens;
  thread_local std::vector<bool> colocated;
  bool query = (flags & FTS5_TOKENIZE_QUERY) != 0;
  // Held for this call: a dictionary swap meanwhile does not free it.
  const std::shared_ptr<const text::Segmenter> seg = t->deps->slot->Get();
  if (!query) {
    for (size_t h = 0; h < g_hint_count; ++h) {
      const TokenHint& hint = g_hints[h];
      if (hint.field && hint.original.size() == in.size() && hint.original == in &&
          (!hint.segmenter || hint.segmenter == seg.get()))
        return EmitField(*hint.field, ctx, emit);
    }
  }
  t->deps->normalizer->NormalizeWithOffsets(in, norm, offsets);
  if (query) {
    seg->CutOffsets(norm, tokens);
    colocated.assign(tokens.size(), false);
  } else {
    seg->CutForSearch(norm, tokens, colocated);
  }
  for (size_t i = 0; i < tokens.size(); ++i) {
    std::string_view w(norm.data() + tokens[i].begin, tokens[i].end - tokens[i].begin);
    if (IsPunctOnly(w) || IsCjkPunct(w)) continue;
    int rc = emit(ctx, colocated[i] ? FTS5_TOKEN_COLOCATED : 0, w.data(), static_cast<int>(w.size()),
                  static_cast<int>(offsets[tokens[i].begin]), static_cast<int>(offsets[tokens[i].end]));
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

}  // namespace

void SetTokenHints(const TokenHint* hints, size_t n) {
  g_hints = n ? hints : nullptr;
  g_hint_count = n;
}

namespace {

void DestroyDeps(void* p) { delete static_cast<TokenizerDeps*>(p); }

}  // namespace

Status RegisterYuqingTokenizer(Database& session, std::shared_ptr<const text::Normalizer> normalizer,
                               std::shared_ptr<const text::Segmenter> segmenter) {
  YQ_ASSIGN_OR_RETURN(sqlite::Connection* connection, sqlite::Connect(session));
  sqlite::Connection& db = *connection;
  return RegisterYuqingTokenizer(db, std::move(normalizer),
                                 std::make_shared<const text::SegmenterSlot>(std::move(segmenter), ""));
}

Status RegisterYuqingTokenizer(Database& session, std::shared_ptr<const text::Normalizer> normalizer,
                               std::shared_ptr<const text::SegmenterSlot> slot) {
  YQ_ASSIGN_OR_RETURN(sqlite::Connection* connection, sqlite::Connect(session));
  sqlite::Connection& db = *connection;
  fts5_api* api = nullptr;
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db.handle(), "SELECT fts5(?1)", -1, &raw, nullptr) != SQLITE_OK)
    return Status::Internal("this SQLite has no FTS5");
  sqlite3_bind_pointer(raw, 1, reinterpret_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(raw);
  sqlite3_finalize(raw);
  if (!api) return Status::Internal("this SQLite has no FTS5");
  fts5_tokenizer tk{Create, Delete, Tokenize};
  auto* deps = new TokenizerDeps{std::move(normalizer), std::move(slot)};
  if (api->xCreateTokenizer(api, "yuqing", deps, &tk, DestroyDeps) != SQLITE_OK) {
    delete deps;
    return Status::Internal("cannot register the FTS5 tokenizer");
  }
  return Status::Ok();
}

}  // namespace yuqing::store
