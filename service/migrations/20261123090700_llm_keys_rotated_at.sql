-- When an LLM key's secret was last replaced (null until its first rotation).
alter table llm_keys add column rotated_at bigint;
