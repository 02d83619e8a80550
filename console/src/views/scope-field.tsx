import type { Deployment } from "@keyservice/sdk/src/schemas/deployments";
import { ErrorText } from "../components/errors";

export interface Scope {
  allowAllDeployments: boolean;
  deploymentIds: string[];
}

/**
 * Which deployments a global key opens. The choice is the form's state, keyed by deployment id:
 * a refresh of the deployment list re-renders the checkboxes and keeps what was chosen.
 */
export function ScopeField(props: {
  idPrefix: string;
  scope: Scope;
  onChange: (scope: Scope) => void;
  deployments: Deployment[];
  errors: Record<string, string>;
  /** Narrowing only (a read_write key): a scope may lose deployments, never gain them. */
  narrowFrom?: Scope;
}) {
  const { scope, onChange, narrowFrom, idPrefix: p } = props;
  const mayAdd = (id: string) => !narrowFrom || narrowFrom.allowAllDeployments || narrowFrom.deploymentIds.includes(id);
  const known = new Set(props.deployments.map((d) => d.id));
  const missing = scope.deploymentIds.filter((id) => !known.has(id));
  const toggle = (id: string, on: boolean) =>
    onChange({ allowAllDeployments: false, deploymentIds: on ? [...scope.deploymentIds, id] : scope.deploymentIds.filter((x) => x !== id) });
  return (
    <fieldset className="scope" aria-describedby={`${p}-scope-error`}>
      <legend>Scope</legend>
      <label className="check">
        <input
          type="radio"
          name={`${p}-scope`}
          checked={scope.allowAllDeployments}
          disabled={Boolean(narrowFrom && !narrowFrom.allowAllDeployments)}
          onChange={() => onChange({ allowAllDeployments: true, deploymentIds: [] })}
        />
        All deployments of the org
      </label>
      <label className="check">
        <input type="radio" name={`${p}-scope`} checked={!scope.allowAllDeployments} onChange={() => onChange({ allowAllDeployments: false, deploymentIds: scope.deploymentIds })} />
        Chosen deployments
      </label>
      {!scope.allowAllDeployments && (
        <ul className="choices" aria-label="Deployments">
          {props.deployments.map((d) => {
            const checked = scope.deploymentIds.includes(d.id);
            return (
              <li key={d.id}>
                <label className="check">
                  <input type="checkbox" name="deploymentIds" value={d.id} checked={checked} disabled={!checked && !mayAdd(d.id)} onChange={(e) => toggle(d.id, e.target.checked)} />
                  {d.name}
                  {!d.isActive && <small className="note">inactive</small>}
                </label>
              </li>
            );
          })}
          {missing.map((id) => (
            <li key={id}>
              <label className="check">
                <input type="checkbox" checked onChange={() => toggle(id, false)} />
                <span className="note">a deployment no longer listed ({id})</span>
              </label>
            </li>
          ))}
          {props.deployments.length === 0 && <li className="note">No deployments yet: create one first.</li>}
        </ul>
      )}
      <ErrorText id={`${p}-scope-error`}>{[props.errors.allowAllDeployments, props.errors.deploymentIds].filter(Boolean).join(" ")}</ErrorText>
    </fieldset>
  );
}
