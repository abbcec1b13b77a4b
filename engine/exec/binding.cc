#include "exec/binding.h"

#include "plugin_api/argv_guard.h"

namespace goap::exec {

std::optional<std::string> expand(const std::string& text, const model::World& world,
                                  const std::vector<model::Param>& params, const std::vector<model::ObjectId>& binding,
                                  BindError* error, const TemplateContext* context) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$') {
      out += text[i];
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '$') {
      out += '$';
      ++i;
      continue;
    }
    const std::size_t close = text.find('}', i);
    if (i + 1 >= text.size() || text[i + 1] != '{' || close == std::string::npos) {
      if (error) error->message = "a '$' that starts no template in '" + text + "'";
      return std::nullopt;
    }
    const std::string inner = text.substr(i + 2, close - i - 2);
    const std::size_t dot = inner.find('.');
    const std::string pname = inner.substr(0, dot);
    std::size_t k = 0;
    while (k < params.size() && params[k].name != pname) ++k;
    if (k == params.size() && pname == "goap" && context != nullptr) {
      const std::string name = dot == std::string::npos ? "" : inner.substr(dot + 1);
      const std::string* v = name == "goal" ? &context->goal : name == "reason" ? &context->reason
                             : name == "cause" ? &context->cause : name == "run" ? &context->run : nullptr;
      if (v == nullptr) {
        if (error) error->message = "unknown template '${" + inner + "}' in '" + text + "'";
        return std::nullopt;
      }
      out += *v;
      i = close;
      continue;
    }
    if (k == params.size() || k >= binding.size()) {
      if (error) error->message = "unknown parameter '" + pname + "' in '" + text + "'";
      return std::nullopt;
    }
    const model::Object& obj = world.object(binding[k]);
    if (dot == std::string::npos) {
      out += obj.name;
    } else {
      const std::string attr = inner.substr(dot + 1);
      const std::string* v = obj.attribute(attr);
      if (v == nullptr) {
        if (error) error->message = "object '" + obj.name + "' has no attribute '" + attr + "' (used as ${" + inner + "})";
        return std::nullopt;
      }
      out += *v;
    }
    i = close;
  }
  return out;
}

std::optional<std::vector<plugin_host::Param>> bind_with(const std::vector<std::pair<std::string, model::WithValue>>& with,
                                                         const model::World& world,
                                                         const std::vector<model::Param>& params,
                                                         const std::vector<model::ObjectId>& binding, BindError* error,
                                                         const TemplateContext* context) {
  std::vector<plugin_host::Param> out;
  for (const auto& [name, value] : with) {
    plugin_host::Param p{name, {}, value.is_list};
    for (const std::string& item : value.items) {
      auto v = expand(item, world, params, binding, error, context);
      if (!v) {
        if (error) error->message = "'" + name + "': " + error->message;
        return std::nullopt;
      }
      p.items.push_back(std::move(*v));
    }
    out.push_back(std::move(p));
  }
  return out;
}

bool runs_over_ssh(const model::WithValue& value) {
  if (value.items.empty()) return false;
  const std::string& p = value.items[0];
  return p == "ssh" || (p.size() > 4 && p.compare(p.size() - 4, 4, "/ssh") == 0);
}

bool in_option_position(const model::WithValue& value, std::size_t item, const std::string& type) {
  if (item >= value.items.size()) return false;
  const std::string& text = value.items[item];
  if (plugin::is_option_position_type(type)) return text.find("${") != std::string::npos;
  if (type != "list" || text.rfind("${", 0) != 0) return false;
  for (std::size_t i = 0; i < item; ++i)
    if (value.items[i] == "--") return false;
  return true;
}

std::vector<plugin_host::ParamIssue> argv_option_issues(const std::vector<std::pair<std::string, model::WithValue>>& with,
                                                        const std::vector<plugin_host::Param>& bound,
                                                        const plugin_host::KindInfo& kind) {
  std::vector<plugin_host::ParamIssue> out;
  for (std::size_t w = 0; w < with.size() && w < bound.size(); ++w) {
    const plugin_host::ParamInfo* info = kind.param(with[w].first);
    if (info == nullptr || info->type != "list") continue;
    const auto& items = bound[w].items;
    const bool ssh = runs_over_ssh(with[w].second);
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string& text = with[w].second.items[i];
      if (in_option_position(with[w].second, i, info->type) && !items[i].empty() && items[i][0] == '-') {
        out.push_back({with[w].first,
                       "'" + with[w].first + "' element " + std::to_string(i + 1) + " ('" + text +
                           "') would be '" + plugin::printable(items[i]) + "', which the program would read as an option",
                       "a template may not start an argv element with '-' unless the element comes after a literal \"--\""});
        break;
      }
      if (ssh && i > 0 && text.find("${") != std::string::npos) {
        if (std::string what = plugin::check_remote_word(items[i]); !what.empty()) {
          out.push_back({with[w].first,
                         "'" + with[w].first + "' element " + std::to_string(i + 1) + " ('" + text + "') would be '" +
                             plugin::printable(items[i]) + "', which must be " + what,
                         "give the remote argv to a plugin that quotes it (command with 'host:', ...)"});
          break;
        }
      }
    }
  }
  return out;
}

std::vector<TemplateValue> template_values(const std::string& text, const model::World& world,
                                           const std::vector<model::Param>& params, std::size_t cap) {
  // Which parameters the text names: only those vary.
  std::vector<bool> used(params.size(), false);
  for (std::size_t at = text.find("${"); at != std::string::npos; at = text.find("${", at + 2)) {
    const std::size_t end = text.find_first_of(".}", at + 2);
    const std::string name = text.substr(at + 2, end == std::string::npos ? std::string::npos : end - at - 2);
    for (std::size_t k = 0; k < params.size(); ++k) used[k] = used[k] || params[k].name == name;
  }
  std::vector<std::vector<model::ObjectId>> partial{{}};
  for (std::size_t k = 0; k < params.size(); ++k) {
    const auto objs = world.objects_of(params[k].type);
    if (objs.empty()) return {};
    std::vector<std::vector<model::ObjectId>> next;
    for (const auto& b : partial)
      for (std::size_t o = 0; o < (used[k] ? objs.size() : 1) && next.size() < cap; ++o) {
        auto nb = b;
        nb.push_back(objs[o]);
        next.push_back(std::move(nb));
      }
    partial = std::move(next);
  }
  std::vector<TemplateValue> out;
  for (auto& b : partial) {
    BindError err;
    if (auto v = expand(text, world, params, b, &err)) out.push_back({std::move(*v), std::move(b)});
  }
  return out;
}

std::vector<std::vector<model::ObjectId>> all_bindings(const model::World& world, const std::vector<model::Param>& params) {
  std::vector<std::vector<model::ObjectId>> out{{}};
  for (const model::Param& p : params) {
    const auto objs = world.objects_of(p.type);
    std::vector<std::vector<model::ObjectId>> next;
    for (const auto& partial : out)
      for (model::ObjectId o : objs) {
        auto b = partial;
        b.push_back(o);
        next.push_back(std::move(b));
      }
    out = std::move(next);
  }
  return out;
}

}  // namespace goap::exec
