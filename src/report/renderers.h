// PDF and DOCX from the report's HTML page through well-kept converters run as child processes:
// headless Chromium prints the page (charts included) to PDF, pandoc converts HTML to DOCX. When a
// converter is missing the error says which Debian package to install (kUnavailable); HTML needs
// neither.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace yuqing::report {

// The Chromium binary: $YUQING_CHROMIUM, else chromium / chromium-browser / google-chrome on
// $PATH. kUnavailable naming the package when none is there.
Result<std::string> FindChromium();
// pandoc on $PATH; kUnavailable naming the package otherwise.
Result<std::string> FindPandoc();

// Prints html_path (a file) to pdf_path with headless Chromium (A4, backgrounds, no header or
// footer), waiting for the charts. kIo when Chromium fails or writes nothing, kUnavailable when it
// takes longer than `timeout`.
Status HtmlToPdf(const std::string& html_path, const std::string& pdf_path, TimeMs timeout = 60 * kSecond);

// Screenshots html_path at width x height into png_path (the charts of a DOCX are images).
Status HtmlToPng(const std::string& html_path, const std::string& png_path, int width, int height,
                 TimeMs timeout = 60 * kSecond);

// Converts html_path to docx_path with pandoc; images referenced by the page are read relative to
// resource_dir.
Status HtmlToDocx(const std::string& html_path, const std::string& docx_path, const std::string& resource_dir,
                  TimeMs timeout = 60 * kSecond);

// Runs argv (argv[0] looked up on $PATH) with stdout and stderr to /dev/null, waiting at most
// `timeout`; the child is killed then. kIo on a non-zero exit.
Status RunTool(const std::vector<std::string>& argv, TimeMs timeout);

}  // namespace yuqing::report
