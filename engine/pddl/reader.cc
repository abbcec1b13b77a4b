#include "pddl/reader.h"

#include <cerrno>
#include <cstring>

#include "core/input_file.h"
#include "pddl/sexpr.h"
#include "pddl/translator.h"

namespace goap::pddl {
namespace {

// Regular files only, never /proc or /sys, never blocking, at most kMaxFileBytes (core/input_file.h).
std::optional<std::string> read_file(const std::string& path, core::SourceManager& sm, core::Diagnostics& diags) {
  core::InputFile in = core::read_input_file(path, kMaxFileBytes);
  if (in.status == core::InputStatus::too_large) {
    // Located at the file, as a YAML file over its limit is (load/yaml_doc.cc).
    const auto f = sm.add(path, std::string());
    diags.error(core::SourceLoc{f, 0, 0, 1}, "the file is larger than the limit of " + std::to_string(kMaxFileBytes) +
                                                 " bytes (" + std::to_string(kMaxFileBytes >> 20) + " MiB)")
        .hint("goap reads PDDL domains and problems of up to " + std::to_string(kMaxFileBytes >> 20) + " MiB each");
    return std::nullopt;
  }
  if (!in.ok()) {
    diags.error({}, in.message(path, kMaxFileBytes));
    return std::nullopt;
  }
  return std::move(in.text);
}

// Only a file that reads as PDDL (its first form is `(define`) shows source lines in diagnostics:
// goap prints nothing of a file that is no goap input (core/diag.h).
bool looks_like_pddl(const std::string& t) {
  std::size_t i = 0;
  while (i < t.size()) {
    if (t[i] == ';') {
      while (i < t.size() && t[i] != '\n') ++i;
    } else if (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n') {
      ++i;
    } else {
      break;
    }
  }
  if (i >= t.size() || t[i] != '(') return false;
  ++i;
  while (i < t.size() && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n')) ++i;
  static constexpr char kDefine[] = "define";
  for (std::size_t k = 0; k < 6; ++k, ++i)
    if (i >= t.size() || (t[i] | 0x20) != kDefine[k]) return false;
  return true;
}

}  // namespace

std::optional<PddlTask> load_pddl_text(const std::string& domain_path, std::string domain_text,
                                       const std::string& problem_path, std::string problem_text,
                                       core::SourceManager& sm, core::Diagnostics& diags) {
  const bool dx = looks_like_pddl(domain_text), px = looks_like_pddl(problem_text);
  const std::uint32_t df = sm.add(domain_path, std::move(domain_text), dx);
  const std::uint32_t pf = sm.add(problem_path, std::move(problem_text), px);
  // Both files are parsed before either is translated, so bracket mistakes in both are reported.
  auto domain = parse_sexpr(df, sm.text(df), diags);
  auto problem = parse_sexpr(pf, sm.text(pf), diags);
  if (!domain || !problem) return std::nullopt;
  detail::Translator t(diags);
  auto task = t.run(*domain, *problem);
  if (task) task->world.files = {domain_path, problem_path};
  return task;
}

std::optional<PddlTask> load_pddl(const std::string& domain_path, const std::string& problem_path,
                                  core::SourceManager& sm, core::Diagnostics& diags) {
  auto d = read_file(domain_path, sm, diags);
  auto p = read_file(problem_path, sm, diags);
  if (!d || !p) return std::nullopt;
  return load_pddl_text(domain_path, std::move(*d), problem_path, std::move(*p), sm, diags);
}

}  // namespace goap::pddl
