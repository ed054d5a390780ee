/** Dates as the viewer's Teams locale writes them (Swedish by default), in Stockholm time. */
export interface DateFormat {
  date(instantOrCalendarDate: string): string;
  dateTime(instant: string): string;
  time(instant: string): string;
}

const calendarDate = /^\d{4}-\d{2}-\d{2}$/;

export function createDateFormat(locale: string): DateFormat {
  const safeLocale = Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0 ? locale : 'sv-SE';
  const day = new Intl.DateTimeFormat(safeLocale, { dateStyle: 'medium', timeZone: 'Europe/Stockholm' });
  // A calendar date is a day, not an instant: formatted in UTC it cannot move to the day before.
  const calendarDay = new Intl.DateTimeFormat(safeLocale, { dateStyle: 'medium', timeZone: 'UTC' });
  const dayAndTime = new Intl.DateTimeFormat(safeLocale, {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: 'Europe/Stockholm',
  });
  const timeOnly = new Intl.DateTimeFormat(safeLocale, { timeStyle: 'short', timeZone: 'Europe/Stockholm' });
  return {
    date: (value) =>
      calendarDate.test(value)
        ? calendarDay.format(new Date(`${value}T00:00:00Z`))
        : day.format(new Date(value)),
    dateTime: (value) => dayAndTime.format(new Date(value)),
    time: (value) => timeOnly.format(new Date(value)),
  };
}
