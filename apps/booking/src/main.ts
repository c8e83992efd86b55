import 'reflect-metadata';
import { bootstrapHttpApp } from '@app/common';
import { BookingModule } from './booking.module';

export const BOOKING_DEFAULT_PORT = 3002;

void bootstrapHttpApp(BookingModule, {
  name: 'booking',
  description: 'Availability and conflict-free booking of shared instruments',
  defaultPort: BOOKING_DEFAULT_PORT,
});
