// Keyboard operation of the class register (UX.md): ↑/↓ between pupils, letters for the
// status, validity and "meldt av foresatte", digits for lessons. Every control stays
// reachable with Tab and Enter alone; this only adds shortcuts. htmx saves each change.
(function () {
  "use strict";
  const tabell = document.querySelector("table.register");
  if (!tabell) return;

  const STATUS = { h: "hele_dagen", t: "time", s: "for_sent", a: "" };
  const GYLDIGHET = { g: "gyldig", u: "ugyldig", p: "permisjon", k: "ukjent" };

  function rad(element) {
    return element.closest("tbody tr[id^='rad-']");
  }

  function sett(select, verdi) {
    if (!select || select.value === verdi) return;
    select.value = verdi;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function flytt(fra, retning) {
    const rader = Array.from(tabell.querySelectorAll("tbody tr[id^='rad-']"));
    const nå = rad(fra);
    const mål = rader[rader.indexOf(nå) + retning];
    if (!mål) return;
    // The same kind of control in the next row, or its status.
    const navn = (fra.name || "").replace(/^e\d+-/, "");
    const lik = navn ? mål.querySelector(`[name$='-${navn}']`) : null;
    (lik || mål.querySelector("select")).focus();
  }

  tabell.addEventListener("keydown", function (hendelse) {
    const mål = hendelse.target;
    const rekke = rad(mål);
    if (!rekke || hendelse.ctrlKey || hendelse.metaKey || hendelse.altKey) return;
    const skriver = mål.type === "number";
    const tast = hendelse.key.toLowerCase();
    if (hendelse.key === "ArrowDown" || hendelse.key === "ArrowUp") {
      hendelse.preventDefault();
      flytt(mål, hendelse.key === "ArrowDown" ? 1 : -1);
      return;
    }
    if (skriver) return;
    if (tast === "s") {
      // Late needs the minutes first: the row is saved when they are typed.
      hendelse.preventDefault();
      rekke.querySelector("select[name$='-status']").value = STATUS.s;
      rekke.querySelector("input[type=number]").focus();
    } else if (tast in STATUS) {
      hendelse.preventDefault();
      sett(rekke.querySelector("select[name$='-status']"), STATUS[tast]);
    } else if (tast in GYLDIGHET) {
      hendelse.preventDefault();
      sett(rekke.querySelector("select[name$='-gyldighet']"), GYLDIGHET[tast]);
    } else if (tast === "m") {
      hendelse.preventDefault();
      rekke.querySelector("input[name$='-meldt']").click();
    } else if (/^[1-9]$/.test(tast)) {
      const time = rekke.querySelector(`input[name$='-timer'][value='${tast}']`);
      if (time) {
        hendelse.preventDefault();
        time.click();
      }
    }
  });

  // A saved row is replaced by htmx: keep the focus on the same control.
  let fokus = null;
  document.body.addEventListener("htmx:beforeSwap", function () {
    fokus = document.activeElement && document.activeElement.id;
  });
  document.body.addEventListener("htmx:afterSwap", function () {
    const element = fokus && document.getElementById(fokus);
    if (element) element.focus();
  });
})();
