// Keyboard operation of the class and lesson registers (UX.md): ↑/↓ between pupils, letters
// for the status, validity and "meldt av foresatte", digits for lessons, Ctrl+Z to undo the
// row's last change. Every control stays reachable with Tab and Enter alone; this only adds
// shortcuts. htmx saves each change.
(function () {
  "use strict";
  const tabell = document.querySelector("table.register");
  if (!tabell) return;

  document.getElementById("hurtigtaster")?.removeAttribute("hidden");

  // B (borte) is the lesson register's word for absent from the lesson.
  const STATUS = { h: "hele_dagen", t: "time", b: "time", s: "for_sent", i: "tilstede", a: "" };
  // Leave is not among them: only a granted application sets it.
  const GYLDIGHET = { g: "gyldig", u: "ugyldig", k: "ukjent" };

  function rad(element) {
    return element.closest("tbody tr[id^='rad-']");
  }

  function sett(select, verdi) {
    if (!select || select.value === verdi) return;
    select.value = verdi;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function flytt(fra, retning) {
    // A day of granted leave has nothing to change: its row is passed over.
    const rader = Array.from(tabell.querySelectorAll("tbody tr[id^='rad-']")).filter(
      (r) => r === rad(fra) || r.querySelector("select"),
    );
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
    if (!rekke) return;
    const skriver = mål.type === "number";
    // Ctrl+Z while typing minutes undoes the typing, as anywhere else.
    if ((hendelse.ctrlKey || hendelse.metaKey) && hendelse.key.toLowerCase() === "z" && !skriver) {
      const angre = rekke.querySelector("button.angre"); // this row's change only
      if (angre) {
        hendelse.preventDefault();
        window.htmx.process(angre); // it may have arrived a moment ago, before htmx saw it
        angre.click();
      }
      return;
    }
    if (hendelse.ctrlKey || hendelse.metaKey || hendelse.altKey) return;
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
      rekke.querySelectorAll("input[name$='-timer']").forEach((t) => (t.checked = false));
      rekke.querySelector("input[type=number]").focus();
    } else if (tast in STATUS) {
      const status = rekke.querySelector("select[name$='-status']");
      if (!status.querySelector(`option[value='${STATUS[tast]}']`)) return;
      hendelse.preventDefault();
      sett(status, STATUS[tast]);
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

  // Keep a row's controls saying one thing before htmx sends them (capture phase runs
  // first): a ticked lesson means "Timer", typed minutes "For sent", and "Hele dagen" or
  // "Til stede" clear lessons and minutes. The server then stores what the row shows.
  tabell.addEventListener(
    "change",
    function (hendelse) {
      const felt = hendelse.target;
      const rekke = rad(felt);
      if (!rekke) return;
      const status = rekke.querySelector("select[name$='-status']");
      const timer = Array.from(rekke.querySelectorAll("input[name$='-timer']"));
      const minutter = rekke.querySelector("input[name$='-minutter']");
      if (felt === status) {
        if (status.value !== "time") timer.forEach((t) => (t.checked = false));
        if (status.value !== "for_sent" && status.value !== "time" && minutter) minutter.value = "";
        // "Timer" needs its lessons and "For sent" its minutes before there is anything to
        // save: wait for them (htmx never sees this change) and go where they are typed.
        const venter =
          status.value === "time" && timer.length && !timer.some((t) => t.checked)
            ? timer[0]
            : status.value === "for_sent" && minutter && !minutter.value
              ? minutter
              : null;
        if (venter) {
          hendelse.stopPropagation();
          venter.focus();
        }
      } else if (timer.includes(felt) && status.value !== "time" && felt.checked) {
        status.value = "time";
      } else if (timer.includes(felt) && status.value === "time" && !timer.some((t) => t.checked)) {
        status.value = "";
      } else if (felt === minutter && minutter.value && status.value === "") {
        status.value = "for_sent";
      }
    },
    true,
  );

  // A saved row is replaced by htmx: if the control that had the focus went with it, focus
  // the same control in the new row, or the row's status when that control is gone (the
  // "Angre" button after undoing). A control that is still there keeps the focus.
  let fokusert = null;
  let fokusrad = null;
  document.body.addEventListener("htmx:beforeSwap", function () {
    fokusert = document.activeElement;
    fokusrad = fokusert && rad(fokusert) ? rad(fokusert).id : null;
  });
  document.body.addEventListener("htmx:afterSwap", function () {
    if (!fokusert || fokusert.isConnected) return;
    const element = fokusert.id && document.getElementById(fokusert.id);
    const rekke = fokusrad && document.getElementById(fokusrad);
    if (element) element.focus();
    else if (rekke) rekke.querySelector("select")?.focus();
  });
})();
