#include "pddl/reader.h"

#include <cerrno>
#include <cstring>
#include <fstream>

#include "pddl/sexpr.h"
#include "pddl/translator.h"

namespace goap::pddl {
namespace {

std::optional<std::string> read_file(const std::string& path, core::SourceManager& sm, core::Diagnostics& diags) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags.error({}, "cannot open '" + path + "': " + std::strerror(errno));
    return std::nullopt;
  }
  // Chunked, at most one chunk past the limit: an endless device is refused, not swallowed.
  std::string text;
  char chunk[64 * 1024];
  while (text.size() <= kMaxFileBytes && in.read(chunk, sizeof chunk).gcount() > 0)
    text.append(chunk, static_cast<std::size_t>(in.gcount()));
  if (in.bad()) {
    diags.error({}, "cannot read '" + path + "'");
    return std::nullopt;
  }
  if (text.size() > kMaxFileBytes) {
    // Located at the file, as a YAML file over its limit is (load/yaml_doc.cc).
    const auto f = sm.add(path, std::string());
    diags.error(core::SourceLoc{f, 0, 0, 1}, "the file is larger than the limit of " + std::to_string(kMaxFileBytes) +
                                                 " bytes (" + std::to_string(kMaxFileBytes >> 20) + " MiB)")
        .hint("goap reads PDDL domains and problems of up to " + std::to_string(kMaxFileBytes >> 20) + " MiB each");
    return std::nullopt;
  }
  return text;
}

}  // namespace

std::optional<PddlTask> load_pddl_text(const std::string& domain_path, std::string domain_text,
                                       const std::string& problem_path, std::string problem_text,
                                       core::SourceManager& sm, core::Diagnostics& diags) {
  const std::uint32_t df = sm.add(domain_path, std::move(domain_text));
  const std::uint32_t pf = sm.add(problem_path, std::move(problem_text));
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
