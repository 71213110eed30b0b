#include "rules/matcher.h"

#include <hs/hs.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "text/utf8.h"

namespace yuqing::rules {
namespace {

struct Literal {
  std::string text;
  uint32_t len_bytes = 0;
  uint32_t len_chars = 0;
  bool before = false;     // needs a word boundary before
  bool after = false;      // needs a word boundary after
  bool positions = false;  // an operand of NEAR: every occurrence is recorded
};

enum Op : uint8_t { kOpTerm, kOpNear, kOpAnd, kOpOr, kOpNot, kOpVerified, kOpFollowers };

struct Instr {
  Op op;
  FieldMask fields;
  uint8_t cmp;  // kOpFollowers: CmpOp; kOpVerified: the wanted value
  uint8_t unused = 0;
  uint32_t a;   // kOpTerm/kOpNear: literal; kOpAnd/kOpOr: child count; kOpFollowers: numbers index
  uint32_t b;   // kOpNear: second literal
  uint32_t n;   // kOpNear: distance
};

struct PosTerm {
  uint32_t lit;
  FieldMask fields;
};

struct CompiledScheme {
  uint32_t prog_begin, prog_end;
  uint32_t terms_begin, terms_end;
};

struct Occurrence {
  uint32_t lit;
  uint32_t field;
  uint32_t start, end;  // bytes
  bool operator<(const Occurrence& o) const {
    if (lit != o.lit) return lit < o.lit;
    if (field != o.field) return field < o.field;
    return start < o.start;
  }
};

uint32_t PrevCodePoint(const char* data, size_t pos) {
  size_t i = pos - 1;
  while (i > 0 && (static_cast<unsigned char>(data[i]) & 0xC0) == 0x80 && pos - i < 4) --i;
  std::string_view s(data + i, pos - i);
  size_t k = 0;
  return text::DecodeUtf8(s, k);
}

uint32_t NextCodePoint(const char* data, size_t len, size_t pos) {
  std::string_view s(data + pos, std::min<size_t>(4, len - pos));
  size_t k = 0;
  return text::DecodeUtf8(s, k);
}

}  // namespace

struct Matcher::Impl {
  hs_database_t* db = nullptr;
  std::vector<Literal> lits;
  std::vector<uint32_t> triggers;
  std::vector<uint32_t> trig_start;  // literal l triggers triggers[trig_start[l] .. trig_start[l + 1])
  std::vector<Instr> prog;
  std::vector<int64_t> numbers;
  std::vector<PosTerm> pos_terms;
  std::vector<CompiledScheme> cs;
  FieldMask fields_used = 0;
  size_t max_prog = 0;
  ParseOptions parse;
  ~Impl() {
    if (db) hs_free_database(db);
  }
};

// Per-post state is kept in bitsets (a few KiB: L1/L2-resident even at 100k schemes) and reset
// in O(hits): only the bits recorded in hit_lits and candidates are cleared before the next post.
struct Scratch::Impl {
  hs_scratch_t* hs = nullptr;
  std::weak_ptr<const Matcher::Impl> owner;
  std::vector<uint64_t> lit_bits;     // literal occurred (any field) in this post
  std::vector<uint8_t> lit_fields;    // fields it occurred in; valid only where lit_bits is set
  std::vector<uint64_t> scheme_bits;  // scheme is already a candidate
  uint32_t epoch = 0;                 // per post, for char_at
  std::vector<uint32_t> hit_lits;     // literals set in lit_bits, in order of first occurrence
  std::vector<uint32_t> candidates;   // schemes set in scheme_bits
  std::vector<uint32_t> matched;      // candidates whose program is true
  std::vector<Occurrence> occs;
  bool occs_sorted = false;
  std::string_view data[kNumFields];
  std::string buf[kNumFields];
  std::vector<uint32_t> char_at[kNumFields];  // byte offset -> character index, built lazily
  uint32_t char_at_epoch[kNumFields] = {};
  std::vector<uint8_t> stack;
  std::vector<uint32_t> seen_lits;
  ~Impl() {
    if (hs) hs_free_scratch(hs);
  }
};

Scratch::Scratch() : impl_(std::make_unique<Impl>()) {}
Scratch::~Scratch() = default;
Scratch::Scratch(Scratch&&) noexcept = default;
Scratch& Scratch::operator=(Scratch&&) noexcept = default;

Matcher::~Matcher() = default;

namespace {

// Builds the tables of one matcher from parsed schemes.
class Builder {
 public:
  Builder(Matcher::Impl& m, const CompileOptions& opts) : m_(m), opts_(opts) {}

  uint32_t Literal(const std::string& text, bool positions) {
    auto [it, inserted] = ids_.try_emplace(text, static_cast<uint32_t>(m_.lits.size()));
    if (inserted) {
      rules::Literal l;
      l.text = text;
      l.len_bytes = static_cast<uint32_t>(text.size());
      l.len_chars = static_cast<uint32_t>(text::CountCodePoints(text));
      l.before = NeedsBoundaryBefore(text);
      l.after = NeedsBoundaryAfter(text);
      m_.lits.push_back(std::move(l));
      cost_.push_back(Cost(text));
    }
    m_.lits[it->second].positions |= positions;
    return it->second;
  }

  void Emit(const Node& n) {
    Instr in{};
    switch (n.kind) {
      case Node::kTerm:
        in = {kOpTerm, n.fields, 0, 0, Literal(n.term, false), 0, 0};
        m_.fields_used |= n.fields;
        break;
      case Node::kNear:
        in = {kOpNear, n.fields, 0, 0, Literal(n.children[0].term, true), Literal(n.children[1].term, true),
              static_cast<uint32_t>(n.distance)};
        m_.fields_used |= n.fields;
        break;
      case Node::kAnd:
      case Node::kOr:
        for (const Node& c : n.children) Emit(c);
        in = {n.kind == Node::kAnd ? kOpAnd : kOpOr, 0, 0, 0, static_cast<uint32_t>(n.children.size()), 0, 0};
        break;
      case Node::kNot:
        Emit(n.children[0]);
        in = {kOpNot, 0, 0, 0, 0, 0, 0};
        break;
      case Node::kVerified:
        in = {kOpVerified, 0, static_cast<uint8_t>(n.bool_value), 0, 0, 0, 0};
        break;
      case Node::kFollowers:
        m_.numbers.push_back(n.number);
        in = {kOpFollowers, 0, static_cast<uint8_t>(n.op), 0, static_cast<uint32_t>(m_.numbers.size() - 1), 0, 0};
        break;
    }
    m_.prog.push_back(in);
  }

  // The cheapest set of literals one of which must occur whenever `n` has value `positive`
  // (mirrors Positive/Negative in parser.cc). Returns false when there is none.
  bool Triggers(const Node& n, bool positive, std::vector<uint32_t>& out, double& cost) {
    cost = 0;
    out.clear();
    auto best_child = [&](auto&& each_ok) {
      bool found = false;
      std::vector<uint32_t> tmp;
      double c = 0;
      for (const Node& ch : n.children) {
        if (each_ok(ch, tmp, c) && (!found || c < cost)) {
          found = true;
          cost = c;
          out = tmp;
        }
      }
      return found;
    };
    auto all_children = [&](bool pol) {
      std::vector<uint32_t> tmp;
      double c = 0;
      for (const Node& ch : n.children) {
        if (!Triggers(ch, pol, tmp, c)) return false;
        out.insert(out.end(), tmp.begin(), tmp.end());
        cost += c;
      }
      return !n.children.empty();
    };
    switch (n.kind) {
      case Node::kTerm:
        if (!positive) return false;
        out.push_back(ids_.at(n.term));
        cost = cost_[out.back()];
        return true;
      case Node::kNear: {
        if (!positive) return false;
        uint32_t a = ids_.at(n.children[0].term), b = ids_.at(n.children[1].term);
        uint32_t pick = cost_[a] <= cost_[b] ? a : b;
        out.push_back(pick);
        cost = cost_[pick];
        return true;
      }
      case Node::kAnd:
        if (positive)
          return best_child([&](const Node& ch, std::vector<uint32_t>& t, double& c) { return Triggers(ch, true, t, c); });
        return all_children(false);
      case Node::kOr:
        if (positive) return all_children(true);
        return best_child([&](const Node& ch, std::vector<uint32_t>& t, double& c) { return Triggers(ch, false, t, c); });
      case Node::kNot:
        return Triggers(n.children[0], !positive, out, cost);
      default:
        return false;
    }
  }

  void PositiveTerms(const Node& n, bool positive) {
    switch (n.kind) {
      case Node::kTerm:
        if (positive) m_.pos_terms.push_back({ids_.at(n.term), n.fields});
        break;
      case Node::kNear:
      case Node::kAnd:
      case Node::kOr:
        for (const Node& c : n.children) PositiveTerms(c, positive);
        break;
      case Node::kNot:
        PositiveTerms(n.children[0], !positive);
        break;
      default:
        break;
    }
  }

  double Cost(const std::string& lit) const {
    if (opts_.literal_frequency) return opts_.literal_frequency(lit);
    double weight = 0;
    for (size_t i = 0; i < lit.size();) {
      uint32_t cp = text::DecodeUtf8(lit, i);
      weight += cp < 0x80 ? 1.0 / 3 : 1.0;
    }
    return std::pow(0.1, std::min(weight, 6.0));
  }

 private:
  Matcher::Impl& m_;
  const CompileOptions& opts_;
  std::unordered_map<std::string, uint32_t> ids_;
  std::vector<double> cost_;
};

// Hyperscan ids carry this bit for literals that need more than "it occurred": a word-boundary
// check or their positions (NEAR). The others (most CJK terms) take the fast path in OnMatch,
// which reads no literal table at all.
constexpr unsigned kSlowId = 1u << 31;

struct ScanContext {
  const Matcher::Impl* m;
  Scratch::Impl* s;
  const char* data;
  size_t len;
  uint32_t field;
};

inline bool TestBit(const std::vector<uint64_t>& bits, uint32_t i) { return (bits[i >> 6] >> (i & 63)) & 1; }

int OnMatch(unsigned int id, unsigned long long /*from*/, unsigned long long to, unsigned int /*flags*/,
            void* ctx) {
  auto* c = static_cast<ScanContext*>(ctx);
  Scratch::Impl& s = *c->s;
  const Literal* slow = nullptr;
  size_t end = static_cast<size_t>(to), start = 0;
  if (id & kSlowId) {
    id &= ~kSlowId;
    slow = &c->m->lits[id];
    start = end - slow->len_bytes;
    if (slow->before && start > 0 && IsWordChar(PrevCodePoint(c->data, start))) return 0;
    if (slow->after && end < c->len && IsWordChar(NextCodePoint(c->data, c->len, end))) return 0;
  }
  uint64_t& word = s.lit_bits[id >> 6];
  uint64_t bit = uint64_t{1} << (id & 63);
  if (!(word & bit)) {
    word |= bit;
    s.lit_fields[id] = 0;
    s.hit_lits.push_back(id);
    __builtin_prefetch(&c->m->trig_start[id]);  // read when the candidates are collected
  }
  s.lit_fields[id] |= static_cast<uint8_t>(1u << c->field);
  if (slow && slow->positions)
    s.occs.push_back({id, c->field, static_cast<uint32_t>(start), static_cast<uint32_t>(end)});
  return 0;
}

// Evaluates programs against the hits recorded in a scratch.
class Evaluator {
 public:
  Evaluator(const Matcher::Impl& m, Scratch::Impl& s, const MatchInput& in) : m_(m), s_(s), in_(in) {}

  bool Hit(uint32_t lit, FieldMask fields) const {
    return TestBit(s_.lit_bits, lit) && (s_.lit_fields[lit] & fields);
  }

  bool Run(const CompiledScheme& cs) {
    auto& st = s_.stack;
    size_t sp = 0;
    for (uint32_t i = cs.prog_begin; i < cs.prog_end; ++i) {
      const Instr& in = m_.prog[i];
      switch (in.op) {
        case kOpTerm: st[sp++] = Hit(in.a, in.fields); break;
        case kOpNear:
          st[sp++] = Hit(in.a, in.fields) && Hit(in.b, in.fields) && Near(in.a, in.b, in.n, in.fields);
          break;
        case kOpAnd: {
          uint8_t v = 1;
          for (uint32_t k = 0; k < in.a; ++k) v &= st[sp - 1 - k];
          sp -= in.a;
          st[sp++] = v;
          break;
        }
        case kOpOr: {
          uint8_t v = 0;
          for (uint32_t k = 0; k < in.a; ++k) v |= st[sp - 1 - k];
          sp -= in.a;
          st[sp++] = v;
          break;
        }
        case kOpNot: st[sp - 1] = !st[sp - 1]; break;
        case kOpVerified: st[sp++] = in_.verified == static_cast<bool>(in.cmp); break;
        case kOpFollowers: {
          int64_t v = m_.numbers[in.a], f = in_.followers;
          bool r = false;
          switch (static_cast<CmpOp>(in.cmp)) {
            case CmpOp::kEq: r = f == v; break;
            case CmpOp::kGt: r = f > v; break;
            case CmpOp::kGe: r = f >= v; break;
            case CmpOp::kLt: r = f < v; break;
            case CmpOp::kLe: r = f <= v; break;
          }
          st[sp++] = r;
          break;
        }
      }
    }
    return sp == 1 && st[0];
  }

 private:
  const std::vector<uint32_t>& CharAt(uint32_t f) {
    auto& v = s_.char_at[f];
    if (s_.char_at_epoch[f] != s_.epoch) {
      s_.char_at_epoch[f] = s_.epoch;
      std::string_view d = s_.data[f];
      v.resize(d.size() + 1);
      uint32_t ci = 0;
      for (size_t i = 0; i < d.size(); ++i) {
        if ((static_cast<unsigned char>(d[i]) & 0xC0) != 0x80 && i > 0) ++ci;
        v[i] = ci;
      }
      v[d.size()] = d.empty() ? 0 : ci + 1;
    }
    return v;
  }

  // Whether some occurrence of a and some of b in one field are at most n characters apart.
  bool Near(uint32_t a, uint32_t b, uint32_t n, FieldMask fields) {
    if (!s_.occs_sorted) {
      std::sort(s_.occs.begin(), s_.occs.end());
      s_.occs_sorted = true;
    }
    int64_t la = m_.lits[a].len_chars, lb = m_.lits[b].len_chars;
    for (uint32_t f = 0; f < kNumFields; ++f) {
      if (!(fields & (1u << f))) continue;
      auto ra = std::equal_range(s_.occs.begin(), s_.occs.end(), Occurrence{a, f, 0, 0},
                                 [](const Occurrence& x, const Occurrence& y) {
                                   return x.lit != y.lit ? x.lit < y.lit : x.field < y.field;
                                 });
      if (ra.first == ra.second) continue;
      auto rb = std::equal_range(s_.occs.begin(), s_.occs.end(), Occurrence{b, f, 0, 0},
                                 [](const Occurrence& x, const Occurrence& y) {
                                   return x.lit != y.lit ? x.lit < y.lit : x.field < y.field;
                                 });
      if (rb.first == rb.second) continue;
      const auto& ci = CharAt(f);
      for (auto it = ra.first; it != ra.second; ++it) {
        int64_t sa = ci[it->start], ea = sa + la;
        int64_t lo = sa - lb - static_cast<int64_t>(n);
        // First b starting at or after lo (b occurrences are sorted by start).
        auto jb = std::partition_point(rb.first, rb.second,
                                       [&](const Occurrence& o) { return static_cast<int64_t>(ci[o.start]) < lo; });
        if (jb != rb.second && static_cast<int64_t>(ci[jb->start]) <= ea + static_cast<int64_t>(n)) return true;
      }
    }
    return false;
  }

  const Matcher::Impl& m_;
  Scratch::Impl& s_;
  const MatchInput& in_;
};

}  // namespace

Result<std::shared_ptr<const Matcher>> Matcher::Compile(const std::vector<Scheme>& schemes,
                                                        std::shared_ptr<const text::Normalizer> norm,
                                                        const CompileOptions& opts,
                                                        std::vector<CompileError>* errors) {
  if (!norm) return Status::Invalid("Matcher::Compile needs a normalizer");
  std::shared_ptr<Matcher> m(new Matcher());
  m->norm_ = std::move(norm);
  auto impl = std::make_shared<Impl>();
  impl->parse = opts.parse;
  Builder b(*impl, opts);
  std::vector<std::pair<uint32_t, uint32_t>> trig;  // (literal, scheme index)
  std::vector<uint32_t> lits;
  for (const Scheme& s : schemes) {
    if (!s.enabled) continue;
    ParseError err;
    auto ps = ParseScheme(s, *m->norm_, opts.parse, &err);
    if (!ps.ok()) {
      if (errors) errors->push_back({s.id, s.name, err});
      continue;
    }
    uint32_t index = static_cast<uint32_t>(impl->cs.size());
    CompiledScheme cs{};
    cs.prog_begin = static_cast<uint32_t>(impl->prog.size());
    b.Emit(ps->query.root);
    if (!ps->excludes.empty()) {
      for (const Query& e : ps->excludes) b.Emit(e.root);
      if (ps->excludes.size() > 1)
        impl->prog.push_back({kOpOr, 0, 0, 0, static_cast<uint32_t>(ps->excludes.size()), 0, 0});
      impl->prog.push_back({kOpNot, 0, 0, 0, 0, 0, 0});
      impl->prog.push_back({kOpAnd, 0, 0, 0, 2, 0, 0});
    }
    cs.prog_end = static_cast<uint32_t>(impl->prog.size());
    impl->max_prog = std::max<size_t>(impl->max_prog, cs.prog_end - cs.prog_begin);
    cs.terms_begin = static_cast<uint32_t>(impl->pos_terms.size());
    b.PositiveTerms(ps->query.root, true);
    cs.terms_end = static_cast<uint32_t>(impl->pos_terms.size());
    double cost = 0;
    if (!b.Triggers(ps->query.root, true, lits, cost)) {  // ParseQuery guarantees triggers exist
      if (errors) errors->push_back({s.id, s.name, {0, "internal: no trigger literal", "内部错误：无触发词"}});
      impl->prog.resize(cs.prog_begin);
      impl->pos_terms.resize(cs.terms_begin);
      continue;
    }
    std::sort(lits.begin(), lits.end());
    lits.erase(std::unique(lits.begin(), lits.end()), lits.end());
    for (uint32_t l : lits) trig.push_back({l, index});
    impl->cs.push_back(cs);
    m->schemes_.push_back(s);
  }
  // Bucket the triggers by literal.
  std::sort(trig.begin(), trig.end());
  impl->triggers.reserve(trig.size());
  size_t k = 0;
  for (uint32_t l = 0; l < impl->lits.size(); ++l) {
    impl->trig_start.push_back(static_cast<uint32_t>(impl->triggers.size()));
    while (k < trig.size() && trig[k].first == l) impl->triggers.push_back(trig[k++].second);
  }
  impl->trig_start.push_back(static_cast<uint32_t>(impl->triggers.size()));
  if (!impl->lits.empty()) {
    std::vector<const char*> exprs;
    std::vector<size_t> lens;
    std::vector<unsigned> flags, ids;
    for (uint32_t i = 0; i < impl->lits.size(); ++i) {
      const Literal& l = impl->lits[i];
      exprs.push_back(l.text.data());
      lens.push_back(l.text.size());
      bool slow = l.before || l.after || l.positions;
      flags.push_back(slow ? 0 : HS_FLAG_SINGLEMATCH);
      ids.push_back(slow ? i | kSlowId : i);
    }
    hs_compile_error_t* cerr = nullptr;
    if (hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lens.data(),
                             static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK, nullptr, &impl->db,
                             &cerr) != HS_SUCCESS) {
      std::string msg = cerr && cerr->message ? cerr->message : "unknown error";
      if (cerr) hs_free_compile_error(cerr);
      return Status::Internal("Hyperscan could not compile the scheme literals: " + msg);
    }
  }
  m->impl_ = std::move(impl);
  return std::shared_ptr<const Matcher>(std::move(m));
}

void Matcher::Match(const MatchInput& in, std::vector<SchemeHit>& out, Scratch& scratch) const {
  const Impl& m = *impl_;
  if (!m.db) return;
  Scratch::Impl& s = *scratch.impl_;
  // Prepare the scratch for this matcher. The weak pointer keeps the control block alive, so
  // owner equivalence cannot be fooled by a later matcher at the same address.
  if (s.owner.owner_before(impl_) || impl_.owner_before(s.owner)) {
    if (hs_alloc_scratch(m.db, &s.hs) != HS_SUCCESS) return;  // out of memory: no matches
    s.owner = impl_;
    s.lit_bits.assign((m.lits.size() + 63) / 64, 0);
    s.lit_fields.assign(m.lits.size(), 0);
    s.scheme_bits.assign((m.cs.size() + 63) / 64, 0);
    s.stack.assign(m.max_prog + 1, 0);
    s.hit_lits.clear();
    s.candidates.clear();
    s.epoch = 0;
    for (auto& e : s.char_at_epoch) e = 0;
  }
  // Forget the previous post: O(its hits), not O(literals + schemes).
  for (uint32_t l : s.hit_lits) s.lit_bits[l >> 6] = 0;
  for (uint32_t c : s.candidates) s.scheme_bits[c >> 6] = 0;
  if (++s.epoch == 0) {
    for (auto& e : s.char_at_epoch) e = 0;
    s.epoch = 1;
  }
  s.hit_lits.clear();
  s.candidates.clear();
  s.matched.clear();
  s.occs.clear();
  s.occs_sorted = false;

  const std::string_view raw[kNumFields] = {in.title, in.text, in.author, in.source,
                                            in.channel, in.region, in.lang};
  for (uint32_t f = 0; f < kNumFields; ++f) {
    s.data[f] = {};
    if (!(m.fields_used & (1u << f)) || raw[f].empty()) continue;
    if (f < 2) {
      s.data[f] = raw[f];
    } else {
      s.buf[f].clear();
      norm_->Normalize(raw[f], s.buf[f]);
      s.data[f] = s.buf[f];
    }
    ScanContext ctx{&m, &s, s.data[f].data(), s.data[f].size(), f};
    hs_scan(m.db, s.data[f].data(), static_cast<unsigned>(s.data[f].size()), 0, s.hs, OnMatch, &ctx);
  }

  for (uint32_t l : s.hit_lits) {
    for (uint32_t t = m.trig_start[l], te = m.trig_start[l + 1]; t < te; ++t) {
      uint32_t sc = m.triggers[t];
      uint64_t& word = s.scheme_bits[sc >> 6];
      uint64_t bit = uint64_t{1} << (sc & 63);
      if (!(word & bit)) {
        word |= bit;
        s.candidates.push_back(sc);
      }
    }
  }
  if (s.candidates.empty()) return;
  // Evaluate in the order the candidates were found; the scheme headers and programs are spread
  // over megabytes at 10k+ schemes, so they are prefetched a few candidates ahead.
  Evaluator ev(m, s, in);
  const size_t nc = s.candidates.size();
  constexpr size_t kAhead = 4;
  for (size_t i = 0; i < std::min(nc, 2 * kAhead); ++i) __builtin_prefetch(&m.cs[s.candidates[i]]);
  for (size_t i = 0; i < std::min(nc, kAhead); ++i) __builtin_prefetch(&m.prog[m.cs[s.candidates[i]].prog_begin]);
  for (size_t i = 0; i < nc; ++i) {
    if (i + 2 * kAhead < nc) __builtin_prefetch(&m.cs[s.candidates[i + 2 * kAhead]]);
    if (i + kAhead < nc) __builtin_prefetch(&m.prog[m.cs[s.candidates[i + kAhead]].prog_begin]);
    uint32_t sc = s.candidates[i];
    if (ev.Run(m.cs[sc])) s.matched.push_back(sc);
  }
  std::sort(s.matched.begin(), s.matched.end());
  for (uint32_t sc : s.matched) {
    const CompiledScheme& cs = m.cs[sc];
    SchemeHit& hit = out.emplace_back();
    hit.scheme_id = schemes_[sc].id;
    s.seen_lits.clear();
    for (uint32_t t = cs.terms_begin; t < cs.terms_end; ++t) {
      const PosTerm& pt = m.pos_terms[t];
      if (!ev.Hit(pt.lit, pt.fields)) continue;
      if (std::find(s.seen_lits.begin(), s.seen_lits.end(), pt.lit) != s.seen_lits.end()) continue;
      s.seen_lits.push_back(pt.lit);
      hit.terms.push_back(m.lits[pt.lit].text);
    }
  }
}

Result<std::vector<HitSpan>> Matcher::Highlight(int64_t scheme_id, const MatchInput& in) const {
  const Scheme* s = Find(scheme_id);
  if (!s) return Status::NotFound("scheme " + std::to_string(scheme_id) + " is not in the matcher");
  auto ps = ParseScheme(*s, *norm_, impl_->parse);
  if (!ps.ok()) return ps.status();
  return HighlightSpans(ps->query, NormalizeFields(in, *norm_, true));
}

const Scheme* Matcher::Find(int64_t scheme_id) const {
  for (const Scheme& s : schemes_)
    if (s.id == scheme_id) return &s;
  return nullptr;
}

size_t Matcher::literal_count() const { return impl_->lits.size(); }

size_t Matcher::memory_bytes() const {
  const Impl& m = *impl_;
  size_t db = 0;
  if (m.db) hs_database_size(m.db, &db);
  size_t lit_text = 0;
  for (const Literal& l : m.lits) lit_text += l.text.capacity() > 15 ? l.text.capacity() : 0;
  return db + lit_text + m.lits.capacity() * sizeof(Literal) + (m.triggers.capacity() + m.trig_start.capacity()) * 4 +
         m.prog.capacity() * sizeof(Instr) + m.pos_terms.capacity() * sizeof(PosTerm) +
         m.cs.capacity() * sizeof(CompiledScheme) + schemes_.capacity() * sizeof(Scheme);
}

}  // namespace yuqing::rules
