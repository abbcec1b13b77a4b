#include "exec/binding.h"

namespace goap::exec {

std::optional<std::string> expand(const std::string& text, const model::World& world,
                                  const std::vector<model::Param>& params, const std::vector<model::ObjectId>& binding,
                                  BindError* error) {
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
                                                         const std::vector<model::ObjectId>& binding, BindError* error) {
  std::vector<plugin_host::Param> out;
  for (const auto& [name, value] : with) {
    plugin_host::Param p{name, {}, value.is_list};
    for (const std::string& item : value.items) {
      auto v = expand(item, world, params, binding, error);
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
