// Filterable tables: a search box (matched against the row's text and its data-search words,
// e.g. English glosses and formulation ids), one <select> per data-* attribute, a count of
// matching rows. ?q=… and ?<select name>=… in the address preset them (links from the findings).
document.querySelectorAll('form.filters').forEach(form => {
  const table = document.getElementById(form.dataset.for);
  const rows = [...table.tBodies[0].rows];
  const haystack = rows.map(r => (r.textContent + ' ' + (r.dataset.search || '')).toLowerCase());
  const count = form.querySelector('.count');
  const search = form.querySelector('input[type=search]');
  const params = new URLSearchParams(location.search);
  if (params.has('q')) search.value = params.get('q');
  form.querySelectorAll('select').forEach(s => { if (params.has(s.name)) s.value = params.get(s.name); });
  const apply = () => {
    const q = (search.value || '').trim().toLowerCase();
    const picked = [...form.querySelectorAll('select')].filter(s => s.value);
    let shown = 0;
    rows.forEach((row, i) => {
      const keep = (!q || haystack[i].includes(q)) && picked.every(s => row.dataset[s.name] === s.value);
      row.hidden = !keep;
      if (keep) shown++;
    });
    count.textContent = shown + ' of ' + rows.length + ' rows';
  };
  form.addEventListener('input', apply);
  form.addEventListener('submit', e => e.preventDefault());
  apply();
});
