// Where shipped models and lexicon data are found: $YUQING_MODELS_DIR, else <binary dir>/models
// is not assumed; the source tree's models/ (YUQING_SOURCE_DIR) is the default.
#pragma once

#include <string>

namespace yuqing::analysis {

// Resolves the models directory: explicit (non-empty), $YUQING_MODELS_DIR, or the source tree.
std::string ResolveModelsDir(const std::string& explicit_dir = "");

// Default location of the public training data: $YUQING_TRAIN_DATA, else ../shared/data beside
// the source tree.
std::string DefaultTrainDataDir();

}  // namespace yuqing::analysis
