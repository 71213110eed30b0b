// The compact inference of FastTextModel must give the probabilities libfasttext's predictLine
// gives, token ids and word n-gram hashes included, on every model the project ships.
#include "analysis/fasttext_model.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "analysis/model_paths.h"
#include "analysis/sentiment.h"
#include "text/normalizer.h"
#include "text/segmenter.h"

namespace yuqing::analysis {
namespace {

namespace fs = std::filesystem;

std::string ModelPath(const std::string& name) { return ResolveModelsDir() + "/" + name; }

// Feature lines as the analyzer builds them, from texts that exercise the tokeniser: simplified
// and traditional Chinese, English, digits, emoji, punctuation, repeats, very long text.
std::vector<std::string> FeatureLines() {
  std::vector<std::string> texts = {
      "东湖自来水公司服务太差了，停水三天没人管，我要投诉！",
      "感谢东湖自来水公司的师傅连夜抢修，点赞！",
      "這間酒店環境和服務態度亦算不錯,但房間空間太小",
      "The service was terrible and nobody answered the hotline.",
      "2026年3月4日12时前公布初步调查结果 #武汉加油# @人民日报 😀😀",
      "转发微博",
      "好好好好好好好好好好好好好好",
      "",
      "！！！？？？。。。",
  };
  std::string long_text;
  for (int i = 0; i < 200; ++i) long_text += "网传某地发生重大事故，官方尚未回应，请大家不信谣不传谣。";
  texts.push_back(long_text);
  // Real reviews when the shared data is present (more vocabulary, more n-gram buckets).
  std::ifstream dev(YUQING_SHARED_DATA "/sentiment/chnsenticorp_dev.tsv");
  std::string row;
  for (int i = 0; std::getline(dev, row) && i < 1200; ++i) texts.push_back(row.substr(0, row.find('\t')));

  auto n = text::Normalizer::Create();
  auto s = text::Segmenter::Create();
  if (!n.ok() || !s.ok()) return {};
  std::vector<std::string> lines;
  std::vector<std::string> words;
  std::string line;
  for (const auto& t : texts) {
    words.clear();
    (*s)->Cut((*n)->Normalize(t), words);
    SentimentFeatures(words, line);
    lines.push_back(line);
  }
  lines.push_back("unseen_token_a unseen_token_b\n");  // no known word, only </s> and buckets
  lines.push_back("no newline at the end");            // no </s>
  lines.push_back("__label__positive 好\n");            // a label token is not a word
  return lines;
}

class FastTextModelTest : public ::testing::TestWithParam<const char*> {};

TEST_P(FastTextModelTest, MatchesPredictLine) {
  std::string path = ModelPath(GetParam());
  if (!fs::exists(path)) GTEST_SKIP() << "model absent: " << path;
  auto m = FastTextModel::Load(path, /*keep_reference=*/true);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  auto lines = FeatureLines();
  ASSERT_GT(lines.size(), 10u);
  std::vector<float> ours, ref;
  size_t compared = 0;
  for (const auto& line : lines) {
    (*m)->Predict(line, ours);
    (*m)->PredictReference(line, ref);
    ASSERT_EQ(ours.size(), ref.size());
    for (size_t l = 0; l < ours.size(); ++l) {
      // predictLine reports exp(log(p + 1e-5)); the sums run in another order.
      EXPECT_NEAR(ours[l], ref[l], 2e-4) << "label " << (*m)->labels()[l] << " line: " << line;
    }
    ++compared;
  }
  EXPECT_EQ(compared, lines.size());
  EXPECT_GT((*m)->rows(), (*m)->vocabulary());
}

INSTANTIATE_TEST_SUITE_P(ShippedModels, FastTextModelTest,
                         ::testing::Values("sentiment.ftz", "sentiment_reviews.ftz", "rumor.ftz", "types.ftz"));

TEST(FastTextModelShare, SharedTableGivesEveryModelItsOwnAnswer) {
  std::vector<std::unique_ptr<FastTextModel>> models;
  for (const char* name : {"sentiment.ftz", "sentiment_reviews.ftz", "rumor.ftz"}) {
    if (!fs::exists(ModelPath(name))) GTEST_SKIP() << "model absent: " << name;
    auto m = FastTextModel::Load(ModelPath(name), /*keep_reference=*/true);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    models.push_back(std::move(m).value());
  }
  ASSERT_TRUE(FastTextModel::Share({models[0].get(), models[1].get(), models[2].get()}));
  std::vector<float> ours, ref;
  for (const auto& line : FeatureLines()) {
    // Interleave the models on each line: the shared per-thread cache must hand each its slice.
    for (int pass = 0; pass < 2; ++pass) {
      for (const auto& m : models) {
        m->Predict(line, ours);
        m->PredictReference(line, ref);
        ASSERT_EQ(ours.size(), m->labels().size());
        for (size_t l = 0; l < ours.size(); ++l) EXPECT_NEAR(ours[l], ref[l], 2e-4) << line;
      }
    }
  }
}

TEST(FastTextModelLoad, MissingFileIsNotFound) {
  auto m = FastTextModel::Load("/nonexistent/model.ftz");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), Code::kNotFound);
}

TEST(FastTextModelLoad, GarbageAndTruncatedFilesAreInvalid) {
  fs::path dir = fs::temp_directory_path() / ("yq_ft_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  fs::create_directories(dir);
  {
    std::ofstream(dir / "garbage.ftz") << "this is not a model";
  }
  auto g = FastTextModel::Load((dir / "garbage.ftz").string());
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), Code::kInvalid);

  std::string path = ModelPath("rumor.ftz");
  if (fs::exists(path)) {
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(dir / "truncated.ftz", std::ios::binary).write(bytes.data(), bytes.size() / 3);
    auto t = FastTextModel::Load((dir / "truncated.ftz").string());
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.status().code(), Code::kInvalid);
  }
  fs::remove_all(dir);
}

TEST(FastTextModelHash, IsFnv1aOverSignedBytes) {
  EXPECT_EQ(FastTextModel::TokenHash(""), 2166136261u);
  // 'a' = 0x61: (2166136261 ^ 0x61) * 16777619 mod 2^32.
  EXPECT_EQ(FastTextModel::TokenHash("a"), 0xe40c292cu);
  // A byte >= 0x80 is sign-extended before the xor, unlike textbook FNV-1a.
  uint32_t textbook = (2166136261u ^ 0xe5u) * 16777619u;
  EXPECT_NE(FastTextModel::TokenHash("\xe5"), textbook);
  EXPECT_EQ(FastTextModel::TokenHash("\xe5"), (2166136261u ^ 0xffffffe5u) * 16777619u);
}

}  // namespace
}  // namespace yuqing::analysis
