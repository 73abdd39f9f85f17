// A selection owned by Python (one writer per trait): the view never sets the trait. It asks for
// a change with {kind: "select", add, remove, clear} and shows the change at once, on top of the
// trait, until the kernel has answered (its trait update arrives before its reply).

function applyChange(selection, { add, remove, clear }) {
  if (clear) selection.clear();
  for (const key of remove) selection.delete(key);
  for (const key of add) selection.add(key);
}

/** createSelection(model, rpc, trait, {onChange(), onError(err)}) -> {current(): Set, change({add, remove, clear})} */
export function createSelection(model, rpc, trait, { onChange, onError }) {
  const pending = []; // changes sent and not answered yet, oldest first
  return {
    current() {
      const selection = new Set(model.get(trait) ?? []);
      for (const change of pending) applyChange(selection, change);
      return selection;
    },
    change({ add = [], remove = [], clear = false }) {
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
