import type { Deployment } from "@keyservice/sdk";
import { isNotFound } from "./errors";
import { Failures } from "./failures";
import { client } from "./settings";
import type { ProviderImpl } from "./types";

type Props = Record<string, unknown>;

function outputsOf(d: Deployment): Props {
  return { name: d.name, active: d.isActive, createdAt: d.createdAt, updatedAt: d.updatedAt };
}

/** A deployment, so that examples can be complete: renames and (de)activation update in place. */
export const deploymentProvider: ProviderImpl = {
  async check(_olds, news) {
    const inputs = { active: true, ...news };
    const f = new Failures();
    f.string(inputs, "name", { required: true, min: 1, max: 255 });
    f.boolean(inputs, "active");
    return f.list.length > 0 ? { inputs, failures: f.list } : { inputs };
  },

  async diff(_id, olds, news) {
    return { changes: olds.name !== news.name || olds.active !== (news.active ?? true) };
  },

  async create(news) {
    const d = await client().deployments.create({ name: String(news.name), isActive: news.active !== false });
    return { id: d.id, outs: { ...news, ...outputsOf(d) } };
  },

  async read(id, props) {
    try {
      const current = outputsOf(await client().deployments.get(id));
      return { id, props: { ...props, ...current }, inputs: { name: current.name, active: current.active } };
    } catch (err) {
      if (isNotFound(err)) return { id: "", props: {} };
      throw err;
    }
  },

  async update(id, olds, news) {
    const d = await client().deployments.update(id, { name: String(news.name), isActive: news.active !== false });
    return { outs: { ...olds, ...news, ...outputsOf(d) } };
  },

  async delete(id) {
    try {
      await client().deployments.delete(id);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
};
