#include "load/sensor_loader.h"

#include <algorithm>
#include <filesystem>

#include "core/names.h"
#include "load/expr.h"
#include "load/yaml_doc.h"

namespace goap::load {
namespace {

using core::SourceLoc;
using detail::get;
using detail::loc_of;
using detail::scalar_text;

class SensorReader {
 public:
  SensorReader(const model::World& w, core::SourceManager& sm, core::Diagnostics& d) : w_(w), sm_(sm), diags_(d) {}

  std::optional<SensorSpec> read(const YAML::Node& key, const YAML::Node& body, std::uint32_t file) {
    SensorSpec s;
    s.loc = loc_of(key, file, sm_);
    if (!key.IsScalar()) {
      diags_.error(s.loc, "a sensor is named by the fact term it reads, e.g. 'ollama_api_ok($h)'");
      return std::nullopt;
    }
    const SourceText st = scalar_text(key, file, sm_);
    s.text = st.text;
    auto parsed = parse_expr(st.text);
    if (auto* e = std::get_if<ExprError>(&parsed)) {
      auto& d = diags_.error(st.at(e->span.offset, e->span.length), e->message);
      if (!e->hint.empty()) d.hint(e->hint);
      return std::nullopt;
    }
    const Expr& ex = std::get<Expr>(parsed);
    if (ex.negated || ex.op != ExprOp::none) {
      diags_.error(st.whole(), "a sensor names a fact term only, without 'not' or a comparison")
          .hint("write e.g. 'ollama_api_ok($h)'; the sensor reports the value");
      return std::nullopt;
    }
    auto fit = w_.fact_index.find(ex.fact);
    if (fit == w_.fact_index.end()) {
      std::vector<std::string> names;
      for (const auto& f : w_.facts) names.push_back(f.name);
      auto& d = diags_.error(st.at(ex.fact_span.offset, ex.fact_span.length), "unknown fact '" + ex.fact + "'");
      if (auto h = core::did_you_mean(ex.fact, names); !h.empty()) d.hint(h);
      return std::nullopt;
    }
    const model::FactDecl& decl = w_.fact(fit->second);
    if (ex.args.size() != decl.params.size()) {
      diags_.error(st.whole(), "'" + ex.fact + "' takes " + std::to_string(decl.params.size()) + " argument" +
                                   (decl.params.size() == 1 ? "" : "s") + ", not " + std::to_string(ex.args.size()))
          .note(decl.loc, "declared here");
      return std::nullopt;
    }
    s.term.fact = fit->second;
    for (std::size_t i = 0; i < ex.args.size(); ++i) {
      const ExprArg& a = ex.args[i];
      const SourceLoc at = st.at(a.span.offset, a.span.length);
      if (a.is_param) {
        auto pit = std::find_if(s.params.begin(), s.params.end(), [&](const model::Param& p) { return p.name == a.name; });
        if (pit == s.params.end()) {
          s.params.push_back(model::Param{a.name, decl.params[i], at});
          pit = s.params.end() - 1;
        } else if (pit->type != decl.params[i]) {
          diags_.error(at, "'$" + a.name + "' is used for two different types here");
          return std::nullopt;
        }
        s.term.args.push_back(model::Arg{model::Arg::Kind::param, static_cast<std::uint32_t>(pit - s.params.begin())});
      } else {
        auto oit = w_.object_index.find(a.name);
        if (oit == w_.object_index.end()) {
          std::vector<std::string> names;
          for (const auto& o : w_.objects) names.push_back(o.name);
          auto& d = diags_.error(at, "unknown object '" + a.name + "'");
          if (auto h = core::did_you_mean(a.name, names); !h.empty()) d.hint(h);
          return std::nullopt;
        }
        if (!w_.is_subtype(w_.object(oit->second).type, decl.params[i])) {
          diags_.error(at, "'" + a.name + "' is a " + w_.type(w_.object(oit->second).type).name + ", but '" + ex.fact +
                               "' wants a " + w_.type(decl.params[i]).name + " here")
              .note(decl.loc, "declared here");
          return std::nullopt;
        }
        s.term.args.push_back(model::Arg{model::Arg::Kind::object, oit->second.value()});
      }
    }
    if (!body.IsMap()) {
      diags_.error(loc_of(body, file, sm_, s.loc), "a sensor is a mapping with 'plugin:' and 'with:'")
          .hint("write e.g. '" + s.text + ": {plugin: http-probe, with: {url: \"http://...\"}}'");
      return std::nullopt;
    }
    for (const auto& kv : body) {
      if (!kv.first.IsScalar()) continue;
      const std::string& k = kv.first.Scalar();
      if (k != "plugin" && k != "sensor" && k != "with" && k != "doc") {
        auto& d = diags_.error(loc_of(kv.first, file, sm_), "unknown key '" + k + "' in sensor '" + s.text + "'");
        if (auto h = core::did_you_mean(k, {"plugin", "sensor", "with", "doc"}); !h.empty()) d.hint(h);
      }
    }
    const YAML::Node p = get(body, "plugin");
    if (!p.IsDefined() || !p.IsScalar() || !core::is_valid_name(p.Scalar())) {
      diags_.error(p.IsDefined() ? loc_of(p, file, sm_) : s.loc, "sensor '" + s.text + "' needs 'plugin: NAME'");
      return std::nullopt;
    }
    s.plugin = p.Scalar();
    s.plugin_loc = loc_of(p, file, sm_);
    if (const YAML::Node k = get(body, "sensor"); k.IsDefined()) {
      if (!k.IsScalar()) {
        diags_.error(loc_of(k, file, sm_), "'sensor' is the name of one of the plugin's sensors");
        return std::nullopt;
      }
      s.sensor = k.Scalar();
    }
    const auto check = [&](const YAML::Node& v) { return check_templates(v, file, s); };
    if (!detail::read_with(get(body, "with"), file, sm_, diags_, false, check, s.with).ok) return std::nullopt;
    return s;
  }

 private:
  bool check_templates(const YAML::Node& v, std::uint32_t file, const SensorSpec& s) {
    const SourceText st = scalar_text(v, file, sm_);
    const std::string& t = st.text;
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (t[i] != '$') continue;
      if (i + 1 < t.size() && t[i + 1] == '$') {
        ++i;
        continue;
      }
      const std::size_t close = t.find('}', i);
      if (i + 1 >= t.size() || t[i + 1] != '{' || close == std::string::npos) {
        diags_.error(st.at(static_cast<std::uint32_t>(i)), "a '$' in 'with:' starts a template '${param}'")
            .hint("write '$$' for a literal '$'");
        return false;
      }
      const std::string inner = t.substr(i + 2, close - i - 2);
      const std::string pname = inner.substr(0, inner.find('.'));
      if (std::none_of(s.params.begin(), s.params.end(), [&](const model::Param& p) { return p.name == pname; })) {
        std::vector<std::string> names;
        for (const auto& p : s.params) names.push_back(p.name);
        auto& d = diags_.error(st.at(static_cast<std::uint32_t>(i + 2), static_cast<std::uint32_t>(std::max<std::size_t>(1, pname.size()))),
                               "unknown parameter '" + pname + "' in template of sensor '" + s.text + "'");
        if (auto h = core::did_you_mean(pname, names); !h.empty()) d.hint(h);
        return false;
      }
      i = close;
    }
    return true;
  }

  const model::World& w_;
  core::SourceManager& sm_;
  core::Diagnostics& diags_;
};

}  // namespace

std::optional<std::vector<SensorSpec>> load_sensors(const std::string& path, const model::World& world,
                                                    core::SourceManager& sm, core::Diagnostics& diags) {
  const std::size_t errors = diags.error_count();
  auto y = detail::read_yaml_file(path, path, sm, diags);
  if (!y) return std::nullopt;
  const YAML::Node kind = get(y->root, "kind");
  if (!kind.IsDefined() || !kind.IsScalar() || kind.Scalar() != "sensors") {
    diags.error(kind.IsDefined() ? loc_of(kind, y->file, sm) : SourceLoc{y->file, 1, 1, 1}, "a sensors file starts with 'kind: sensors'");
    return std::nullopt;
  }
  for (const auto& kv : y->root) {
    if (!kv.first.IsScalar()) continue;
    const std::string& k = kv.first.Scalar();
    if (k != "kind" && k != "sensors" && k != "doc")
      diags.error(loc_of(kv.first, y->file, sm), "unknown key '" + k + "' in a sensors file").hint("a sensors file has 'kind', 'doc' and 'sensors'");
  }
  std::vector<SensorSpec> out;
  const YAML::Node list = get(y->root, "sensors");
  if (list.IsDefined() && !list.IsNull()) {
    if (!list.IsMap()) {
      diags.error(loc_of(list, y->file, sm), "'sensors' is a mapping from fact terms to sensors");
      return std::nullopt;
    }
    SensorReader reader(world, sm, diags);
    for (const auto& kv : list)
      if (auto s = reader.read(kv.first, kv.second, y->file)) out.push_back(std::move(*s));
  }
  if (diags.error_count() != errors) return std::nullopt;
  return out;
}

std::string default_sensors_path(const std::string& world_path) {
  namespace fs = std::filesystem;
  const fs::path p(world_path);
  const fs::path candidate = p.parent_path() / (p.stem().string() + ".sensors.yaml");
  std::error_code ec;
  return fs::is_regular_file(candidate, ec) ? candidate.string() : std::string();
}

}  // namespace goap::load
