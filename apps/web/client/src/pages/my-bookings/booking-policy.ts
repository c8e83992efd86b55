import { useEffect, useState } from 'react';
import { api } from '../../api/api-client';

/** The rules every booking shares, as the booking service publishes them (GET /booking-policy). */
export interface BookingPolicy {
  freeCancellationHours: number;
  lateCancellationFeePercent: number;
  checkInOpensMinutesBefore: number;
  noShowGraceMinutes: number;
  holdMinutes: number;
  noShowLimit: number;
  noShowWindowDays: number;
  suspensionDays: number;
}

let published: Promise<BookingPolicy> | null = null;

/** The published booking rules, asked once per page load and shared by every page; null until known. */
export function useBookingPolicy(): BookingPolicy | null {
  const [policy, setPolicy] = useState<BookingPolicy | null>(null);
  useEffect(() => {
    let live = true;
    published ??= api<BookingPolicy>('booking', '/booking-policy').catch((error: unknown) => {
      published = null;
      throw error;
    });
    published.then(
      (answer) => live && setPolicy(answer),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return policy;
}
