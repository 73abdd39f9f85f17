// A selection owned by Python (one writer per trait): the view never sets the trait. It asks for
// a change with {kind: "select", add, remove, clear} and shows the change at once, on top of the
// trait, until the kernel has answered (its trait update arrives before its reply).

/** @typedef {{ add: string[], remove: string[], clear: boolean }} Change */

/** @param {Set<string>} selection @param {Change} change */
function applyChange(selection, { add, remove, clear }) {
  if (clear) selection.clear();
  for (const key of remove) selection.delete(key);
  for (const key of add) selection.add(key);
}

/**
 * createSelection(model, rpc, trait, {onChange(), onError(err)}) -> {current(): Set, change({add, remove, clear})}
 * @param {any} model
 * @param {{ call(kind: string, payload?: object): Promise<any> }} rpc
 * @param {string} trait
 * @param {{ onChange: () => void, onError: (err: any) => void }} handlers
 */
export function createSelection(model, rpc, trait, { onChange, onError }) {
  /** @type {Change[]} changes sent and not answered yet, oldest first */
  const pending = [];
  return {
    /** @returns {Set<string>} */
    current() {
      const selection = new Set(/** @type {string[]} */ (model.get(trait) ?? []));
      for (const change of pending) applyChange(selection, change);
      return selection;
    },
    /** @param {{ add?: string[], remove?: string[], clear?: boolean }} request */
    change({ add = [], remove = [], clear = false }) {
      /** @type {Change} */
      const change = { add: [...add], remove: [...remove], clear: Boolean(clear) };
      pending.push(change);
      onChange();
      rpc
        .call("select", change)
        .catch(onError)
        .finally(() => {
          pending.splice(pending.indexOf(change), 1);
          onChange();
        });
    },
  };
}
