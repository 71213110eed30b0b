// types.ftz: a context model for the opinion-type lexicon, trained by weak supervision. The
// lexicon proposes a type from its cue phrases; the model, trained on where such phrases mean
// the type and where they do not, may veto the proposal (OpinionClassifier).
#pragma once

#include <string>
#include <unordered_set>
#include <vector>

#include "analysis/corpus.h"
#include "analysis/fasttext_model.h"
#include "core/status.h"
#include "text/normalizer.h"
#include "text/segmenter.h"

namespace yuqing::analysis {

// The lexicon types the model may veto (news and rumor have models of their own).
const std::vector<std::string>& VetoableTypes();

struct TypesTrainStats {
  size_t rows = 0;          // training rows written (after capping and repetition)
  size_t confirmed = 0;     // lexicon proposals the source's structure confirms
  size_t contradicted = 0;  // lexicon proposals the source's structure contradicts ("none")
};

// Weak labels for one row of a public corpus, given the lexicon types found in it. A proposal
// is confirmed (the type) or contradicted ("none") by what the corpus itself says of the row:
// - THUCNews titles (source "title:<class>") are reports: accident and group_event stand only
//   in the society and politics classes (a footballer's injury, a raid in a game are not);
//   complaint, praise, suggestion and attack never (a report of a complaint is news).
// - Reviews: complaint stands in a negative review, praise in a positive one, suggestion in
//   either; attack, accident, group_event words in a review are figures of speech.
// - Weibo emotion posts: praise stands in a positive post (谢谢 in a grieving post is not
//   praise), complaint, attack, accident and group_event in a negative one; suggestion in any.
// Rows without a proposal: a negative review is a complaint and a positive one praise (a
// grievance or compliment aimed at a named service); anything else is "none".
std::vector<std::string> WeakTypeLabels(const LabeledText& row, const std::vector<std::string>& proposed,
                                        const std::unordered_set<std::string>& report_classes);

// Builds the training rows (balanced per weak label, written as "type" or "none") from the sentiment corpora and THUCNews titles under data_dir (the
// held-out fifth and the dev-label texts left out), writes them to train_file and trains
// out_path. lexicon_path: models/opinion_lexicon.tsv.
Result<TypesTrainStats> TrainTypesModel(const std::string& data_dir, const std::string& lexicon_path,
                                        const std::unordered_set<std::string>& dev, const std::string& train_file,
                                        const std::string& out_path, const FastTextParams& params,
                                        const text::Normalizer& n, const text::Segmenter& s);

}  // namespace yuqing::analysis
