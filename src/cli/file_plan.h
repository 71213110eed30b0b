// What `ingest PATH...` reads: folders expanded into their files (sorted, recursively), and for a
// vendor format (--format mediacrawler) the adapter each file's records go through. Planned before
// anything is stored, so that a path the format cannot place is an error that loses nothing.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "ingest/record_adapter.h"

namespace yuqing::cli {

struct FileJob {
  std::string path;
  std::string container;  // the format flag for the reader: "auto", "jsonl", "json", "csv" ...
  std::shared_ptr<const ingest::RecordAdapter> adapter;  // null: our own record shape
  std::string sheet;      // xlsx: the sheet to read ("" the first)
  std::string vendor;     // the record shape, as quarantined records name their format ("" ours)
};

// Whether a quarantined record's format is one `quarantine retry` cannot re-read on its own (a
// vendor's shape, a mapped table, an XLSX row): fix the source file and ingest it again.
bool NeedsSourceToRetry(const std::string& quarantine_format);

struct FilePlan {
  std::vector<FileJob> jobs;
  std::vector<std::string> profiles;  // creator files read for followers, not posts
  std::vector<std::string> skipped;   // files in a folder that hold no posts (images, logs ...)
};

// The formats whose records are a vendor's shape rather than ours.
bool IsVendorFormat(const std::string& format);

// Expands folders (files with .jsonl .ndjson .json .csv .tsv .xlsx .xml .rss .atom, and for a
// vendor format only its own kinds), checks every path exists (kNotFound names the first that
// does not), and for a vendor format gives each file its adapter (kInvalid when a file's platform
// cannot be told; `source` is the fallback). Creator profiles are read here, before any post.
// With a mapping file (`mapping` not ""), every file is a table read through it, and a file whose
// header lacks a mapped column is kInvalid before anything is read.
Result<FilePlan> PlanFiles(const std::vector<std::string>& paths, const std::string& format,
                           const std::string& source, const std::string& mapping = "");

// Splits --map values into column=field pairs and at most one mapping file (a value without '='
// ending in .yaml or .yml); kInvalid for two mapping files.
Result<std::string> TakeMappingFile(std::vector<std::string>& maps);

}  // namespace yuqing::cli
